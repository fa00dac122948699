/** Read use cases over one source's life: health with freshness, its batches, its quarantined rows. */
import { Injectable, NotFoundException } from '@nestjs/common';
import { SourceStatusRepository } from '@opsloop/persistence';
import { toBatchResponse, toHealthResponse, toQuarantinePage } from './source-views';
import { SourcesService } from './sources.service';
import { BatchesQuery, BatchResponseDto, QuarantinePageDto, QuarantineQuery, SourceHealthResponseDto } from './sources.dto';

@Injectable()
export class SourceStatusService {
  constructor(
    private readonly sources: SourcesService,
    private readonly status: SourceStatusRepository,
  ) {}

  async health(id: string): Promise<SourceHealthResponseDto> {
    const source = await this.sources.existing(id);
    return toHealthResponse(source, await this.status.health(id), new Date());
  }

  async batches(id: string, q: BatchesQuery): Promise<BatchResponseDto[]> {
    await this.sources.existing(id);
    return (await this.status.batches(id, q)).map(toBatchResponse);
  }

  async batch(id: string, batchId: string): Promise<BatchResponseDto> {
    await this.sources.existing(id);
    const batch = await this.status.batch(id, batchId);
    if (!batch) throw new NotFoundException(`Source ${id} has no batch ${batchId}`);
    return toBatchResponse(batch);
  }

  async quarantine(id: string, q: QuarantineQuery): Promise<QuarantinePageDto> {
    const source = await this.sources.existing(id);
    return toQuarantinePage(source, await this.status.quarantine(id, q));
  }
}
