/** Route that pulls a pull source now (operator): the batch report, or why the source is down. */
import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { CollectFailureDto, CollectReportDto, SourceCollectService } from './source-collect.service';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources/:id')
export class SourceCollectController {
  constructor(private readonly service: SourceCollectService) {}

  @Post('collect') @MinRole('operator')
  @Responds(200, CollectReportDto, 400, 404, 409, { status: 502, extends: CollectFailureDto }, { status: 503, extends: CollectFailureDto })
  collect(@UuidParam() id: string): Promise<CollectReportDto> {
    return this.service.collect(id);
  }
}
