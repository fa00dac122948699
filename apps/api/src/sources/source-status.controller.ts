/** Routes reading a source's health, ingest batches and quarantined rows (viewer). */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { SourceStatusService } from './source-status.service';
import { BatchesQuery, BatchResponseDto, QuarantinePageDto, QuarantineQuery, SourceHealthResponseDto } from './sources.dto';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources/:id')
export class SourceStatusController {
  constructor(private readonly status: SourceStatusService) {}

  @Get('health') @MinRole('viewer') @Responds(200, SourceHealthResponseDto, 400, 404)
  health(@UuidParam() id: string): Promise<SourceHealthResponseDto> {
    return this.status.health(id);
  }

  @Get('batches') @MinRole('viewer') @Responds(200, [BatchResponseDto], 400, 404)
  batches(@UuidParam() id: string, @Query() q: BatchesQuery): Promise<BatchResponseDto[]> {
    return this.status.batches(id, q);
  }

  @Get('batches/:batchId') @MinRole('viewer') @Responds(200, BatchResponseDto, 400, 404)
  batch(@UuidParam() id: string, @UuidParam('batchId') batchId: string): Promise<BatchResponseDto> {
    return this.status.batch(id, batchId);
  }

  @Get('quarantine') @MinRole('viewer') @Responds(200, QuarantinePageDto, 400, 404)
  quarantine(@UuidParam() id: string, @Query() q: QuarantineQuery): Promise<QuarantinePageDto> {
    return this.status.quarantine(id, q);
  }
}
