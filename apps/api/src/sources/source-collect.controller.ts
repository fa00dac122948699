/** Route that pulls a pull source now (operator): the batch report, or why the source is down. */
import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { CollectReportDto, SourceCollectService } from './source-collect.service';

const uuid = new ParseUUIDPipe();

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources/:id')
export class SourceCollectController {
  constructor(private readonly service: SourceCollectService) {}

  @Post('collect') @HttpCode(200) @MinRole('operator')
  collect(@Param('id', uuid) id: string): Promise<CollectReportDto> {
    return this.service.collect(id);
  }
}
