/** Routes of the metric center: definitions (admin writes, viewer reads) and their values. */
import { Body, Controller, Get, Param, PipeTransform, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { MetricValuesQuery } from '@opsloop/domain';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { fieldErrorsException } from '../common/validation';
import { CreateMetricDto, MetricValuesQueryDto, MetricValuesQueryPipe, NewMetricVersionDto } from './metrics.dto';
import { MetricsService } from './metrics.service';
import { MetricDefinitionView, MetricDetailView, MetricValuesView } from './metric-views';

/** A version in the path is a whole number from 1; anything else is a 400 naming `version`. */
const versionParam: PipeTransform<string, number> = {
  transform: (value) => {
    if (/^[1-9]\d{0,8}$/.test(value)) return Number(value);
    throw fieldErrorsException([{ field: 'version', messages: ['version must be a whole number from 1'] }]);
  },
};

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Post() @MinRole('admin')
  create(@Body() dto: CreateMetricDto, @Req() req: AuthenticatedRequest): Promise<MetricDefinitionView> {
    return this.metrics.create(dto, req.apiKey!);
  }

  @Post(':key/versions') @MinRole('admin')
  addVersion(@Param('key') key: string, @Body() dto: NewMetricVersionDto, @Req() req: AuthenticatedRequest): Promise<MetricDefinitionView> {
    return this.metrics.addVersion(key, dto, req.apiKey!);
  }

  @Get() @MinRole('viewer')
  list(): Promise<MetricDefinitionView[]> {
    return this.metrics.list();
  }

  @Get(':key') @MinRole('viewer')
  get(@Param('key') key: string): Promise<MetricDetailView> {
    return this.metrics.get(key);
  }

  @Get(':key/versions/:version') @MinRole('viewer')
  getVersion(@Param('key') key: string, @Param('version', versionParam) version: number): Promise<MetricDefinitionView> {
    return this.metrics.getVersion(key, version);
  }

  @Get(':key/values') @MinRole('viewer')
  @ApiQuery({ type: MetricValuesQueryDto })
  @ApiQuery({ name: 'dims[<dimension>]', required: false, description: 'only rows whose dimension equals this value, e.g. dims[region]=north' })
  values(@Param('key') key: string, @Query(new MetricValuesQueryPipe()) q: MetricValuesQuery): Promise<MetricValuesView> {
    return this.metrics.readValues(key, q);
  }
}
