/**
 * Collects a pull source on demand: the same collector a loop's collect stage uses, so a manual
 * collect retries, records its batch and marks health exactly like a scheduled one.
 */
import { ConflictException, HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { SourceCollector, SourceNotFoundError, SourceNotPullableError } from '@opsloop/connectors';
import { BatchReportDto } from './batch-report.dto';

/** The ingest batch report of one collect (the same shape the push endpoint answers with). */
export class CollectReportDto extends BatchReportDto {
  @ApiProperty({ type: 'integer', description: 'Collect attempts used, the first included' }) attempts!: number;
}

/** What a failed collect adds to the error body. */
export class CollectFailureDto {
  @ApiProperty({ type: 'integer', description: 'Collect attempts used, the first included' }) attempts!: number;
}

@Injectable()
export class SourceCollectService {
  constructor(private readonly collector: SourceCollector) {}

  /**
   * 404 unknown source, 409 push source; a source that stays down answers 503 (the outside system
   * may come back) or 502 (it answered in a way retrying cannot fix), after health recorded it.
   */
  async collect(id: string): Promise<CollectReportDto> {
    let result;
    try {
      result = await this.collector.collect(id);
    } catch (err) {
      if (err instanceof SourceNotFoundError) throw new NotFoundException(err.message);
      if (err instanceof SourceNotPullableError) throw new ConflictException(err.message);
      throw err;
    }
    if (result.ok) return { ...result.report, attempts: result.attempts };
    const status = result.retryable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    throw new HttpException({
      statusCode: status,
      error: result.retryable ? 'Source Unavailable' : 'Source Failed',
      message: `Collect of source ${id} failed: ${result.error}. The source is marked unhealthy.`,
      attempts: result.attempts,
    }, status);
  }
}
