/**
 * Push ingest: checks that the source takes uploads, reads the request body as a stream of raw
 * rows and hands it to the ingest pipeline. Input problems become 4xx answers naming what was
 * wrong; a batch refused by the schema is a 422 carrying its full report.
 */
import {
  BadRequestException, ConflictException, HttpException, Inject, Injectable, NotFoundException, PayloadTooLargeException,
  UnprocessableEntityException, UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiEnv } from '@opsloop/config';
import { CsvFormatError } from '@opsloop/connectors';
import { RowTooLargeError, SourceDefinition } from '@opsloop/domain';
import { BatchReport, ObservationIngest, SourceRepository } from '@opsloop/persistence';
import { API_ENV } from '../api-env';
import {
  BatchTooLargeError, batchLimits, BodyFormat, bodyFormat, BodyFormatError, checkDeclaredLength, observationRows, UnsupportedBodyError,
} from './observation-body';

/** Kinds that take data through this endpoint; the others pull theirs (POST .../collect). */
const UPLOAD_KINDS = new Set(['push', 'csv']);

@Injectable()
export class ObservationsService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly ingest: ObservationIngest,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async push(id: string, req: IncomingMessage, res: ServerResponse): Promise<BatchReport> {
    try {
      const source = await this.uploadTarget(id);
      const format = formatFor(source, req);
      const limits = batchLimits(source, { maxBytes: this.env.INGEST_MAX_BATCH_BYTES, maxRowBytes: this.env.INGEST_MAX_ROW_BYTES });
      checkDeclaredLength(req.headers['content-length'], limits);
      const report = await this.ingest.ingest(source, observationRows(req, format, source, limits), { origin: `push:${format}` });
      if (report.status === 'rejected') throw rejected(report);
      return report;
    } catch (err) {
      releaseBody(req, res, err);
      throw asHttpError(err);
    }
  }

  private async uploadTarget(id: string): Promise<SourceDefinition> {
    const source = await this.sources.get(id);
    if (!source) throw new NotFoundException(`No source with id ${id}`);
    if (!UPLOAD_KINDS.has(source.kind)) {
      throw new ConflictException(`Source "${source.name}" is a ${source.kind} source: it pulls its own data (POST /api/v1/sources/${id}/collect) and takes no uploads`);
    }
    return source;
  }
}

function formatFor(source: SourceDefinition, req: IncomingMessage): BodyFormat {
  const format = bodyFormat(req.headers['content-type'], req.headers['content-encoding']);
  if (source.kind === 'csv' && format !== 'csv') throw new UnsupportedBodyError(`Source "${source.name}" is a csv source: upload text/csv`);
  return format;
}

function rejected(report: BatchReport): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422, error: 'Unprocessable Entity',
    message: `Batch rejected: ${report.rowsQuarantined} of ${report.rowsReceived} rows failed the schema and nothing was written (see problems)`,
    ...report,
  });
}

/**
 * A body read only in part: drain the rest so the client gets the answer, except past the byte
 * cap, where the connection is closed instead of reading on.
 */
function releaseBody(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (req.readableEnded) return;
  if (err instanceof BatchTooLargeError) res.setHeader('Connection', 'close');
  else req.resume();
}

function asHttpError(err: unknown): unknown {
  if (err instanceof HttpException) return err;
  const body = (status: number, error: string, message: string) => ({ statusCode: status, error, message });
  if (err instanceof BodyFormatError || err instanceof CsvFormatError) return new BadRequestException(body(400, 'Bad Request', err.message));
  if (err instanceof BatchTooLargeError) return new PayloadTooLargeException(body(413, 'Payload Too Large', err.message));
  if (err instanceof RowTooLargeError) {
    return new PayloadTooLargeException(body(413, 'Payload Too Large', `${err.message} (INGEST_MAX_ROW_BYTES): nothing of the batch was stored; shorten or split that row`));
  }
  if (err instanceof UnsupportedBodyError) return new UnsupportedMediaTypeException(body(415, 'Unsupported Media Type', err.message));
  if (isClientAbort(err)) return new BadRequestException(body(400, 'Bad Request', 'The request body was cut off before its end; nothing was stored'));
  return err;
}

function isClientAbort(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err instanceof Error && err.message === 'aborted');
}
