/** Routes of the metric center: definitions (admin writes, viewer reads) and their values. */
import { Body, Controller, Get, Param, PipeTransform, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { METRIC_COMPARISONS, type MetricValuesQuery } from '@opsloop/domain';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
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

const KeyParam = () => ApiParam({ name: 'key', description: 'the metric key', example: 'daily-revenue' });
const VersionParam = () => ApiParam({ name: 'version', schema: { type: 'integer', minimum: 1, maximum: 999_999_999 } });
// Declared here, not in MetricValuesQueryDto: exploding a query class loses its enums.
const CompareQuery = () => ApiQuery({ name: 'compare', required: false, enum: METRIC_COMPARISONS });
/** dims[region]=north: an open set of names, so one deepObject parameter rather than a parameter per dimension. */
const DimsQuery = () => ApiQuery({
  name: 'dims', required: false, style: 'deepObject', explode: true, schema: { type: 'object', additionalProperties: { type: 'string' } },
  description: "only rows whose dimension equals this value, e.g. dims[region]=north; the names are the metric's dimensions",
});

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Post() @MinRole('admin') @Responds(201, MetricDefinitionView, 400, 409, 413)
  create(@Body() dto: CreateMetricDto, @Req() req: AuthenticatedRequest): Promise<MetricDefinitionView> {
    return this.metrics.create(dto, req.apiKey!);
  }

  @Post(':key/versions') @MinRole('admin') @Responds(201, MetricDefinitionView, 400, 404, 409, 413) @KeyParam()
  addVersion(@Param('key') key: string, @Body() dto: NewMetricVersionDto, @Req() req: AuthenticatedRequest): Promise<MetricDefinitionView> {
    return this.metrics.addVersion(key, dto, req.apiKey!);
  }

  @Get() @MinRole('viewer') @Responds(200, [MetricDefinitionView])
  list(): Promise<MetricDefinitionView[]> {
    return this.metrics.list();
  }

  @Get(':key') @MinRole('viewer') @Responds(200, MetricDetailView, 404) @KeyParam()
  get(@Param('key') key: string): Promise<MetricDetailView> {
    return this.metrics.get(key);
  }

  @Get(':key/versions/:version') @MinRole('viewer') @Responds(200, MetricDefinitionView, 400, 404) @KeyParam() @VersionParam()
  getVersion(@Param('key') key: string, @Param('version', versionParam) version: number): Promise<MetricDefinitionView> {
    return this.metrics.getVersion(key, version);
  }

  @Get(':key/values') @MinRole('viewer') @Responds(200, MetricValuesView, 400, 404) @KeyParam()
  @ApiQuery({ type: MetricValuesQueryDto }) @DimsQuery() @CompareQuery()
  values(@Param('key') key: string, @Query(new MetricValuesQueryPipe()) q: MetricValuesQuery): Promise<MetricValuesView> {
    return this.metrics.readValues(key, q);
  }
}
