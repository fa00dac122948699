/** Routes reading a source's health, ingest batches and quarantined rows (viewer). */
import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { SourceStatusService } from './source-status.service';
import { BatchesQuery, BatchResponseDto, QuarantinePageDto, QuarantineQuery, SourceHealthResponseDto } from './sources.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources/:id')
export class SourceStatusController {
  constructor(private readonly status: SourceStatusService) {}

  @Get('health') @MinRole('viewer')
  health(@Param('id', uuid) id: string): Promise<SourceHealthResponseDto> {
    return this.status.health(id);
  }

  @Get('batches') @MinRole('viewer')
  batches(@Param('id', uuid) id: string, @Query() q: BatchesQuery): Promise<BatchResponseDto[]> {
    return this.status.batches(id, q);
  }

  @Get('batches/:batchId') @MinRole('viewer')
  batch(@Param('id', uuid) id: string, @Param('batchId', uuid) batchId: string): Promise<BatchResponseDto> {
    return this.status.batch(id, batchId);
  }

  @Get('quarantine') @MinRole('viewer')
  quarantine(@Param('id', uuid) id: string, @Query() q: QuarantineQuery): Promise<QuarantinePageDto> {
    return this.status.quarantine(id, q);
  }
}
