/**
 * A pushed batch, read straight from the request stream as raw rows: JSON (array or
 * `{"rows": [...]}`), NDJSON or CSV (with the source's delimiter, encoding and header map).
 * Limits are enforced while reading, so an over-size batch stops early with a clear 413.
 */
import { Readable } from 'node:stream';
import { SourceDefinition } from '@opsloop/domain';
import { csvRecords, CsvEncoding } from '@opsloop/connectors';
import type { RawRow } from '@opsloop/persistence';
import { jsonArrayRows } from './observation-json';
import { ndjsonRows } from './observation-ndjson';
import { BodyFormatError, RowLimits, utf8Text } from './observation-text';

export { BodyFormatError };

export const DEFAULT_MAX_BATCH_ROWS = 1_000_000;
export const DEFAULT_MAX_BATCH_BYTES = 512 * 1024 * 1024;

export type BodyFormat = 'json' | 'ndjson' | 'csv';

const MEDIA_TYPES: Record<string, BodyFormat> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'text/csv': 'csv',
};

/** The batch is over the row or byte limit; nothing of it is stored. */
export class BatchTooLargeError extends Error {
  override readonly name = 'BatchTooLargeError';
}

/** The body's media type is not one the endpoint reads. */
export class UnsupportedBodyError extends Error {
  override readonly name = 'UnsupportedBodyError';
}

export interface BodyLimits {
  maxRows: number;
  maxBytes: number;
  /** Largest single row (a JSON object, an NDJSON line, a CSV record), in UTF-8 bytes. */
  maxRowBytes: number;
}

export function bodyFormat(contentType: string | undefined, contentEncoding: string | undefined): BodyFormat {
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') {
    throw new UnsupportedBodyError(`Content-Encoding ${contentEncoding} is not supported: send the batch uncompressed`);
  }
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const format = MEDIA_TYPES[media];
  if (!format) {
    throw new UnsupportedBodyError(`Content-Type ${media ? `"${media}"` : '(none)'} is not supported: send application/json, application/x-ndjson or text/csv`);
  }
  return format;
}

/** The source's per-batch row limit (`config.maxBatchRows`) and the API's byte caps. */
export function batchLimits(source: SourceDefinition, caps: { maxBytes: number; maxRowBytes: number }): BodyLimits {
  const configured = source.config['maxBatchRows'];
  const maxRows = typeof configured === 'number' && Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BATCH_ROWS;
  return { maxRows, ...caps };
}

export function checkDeclaredLength(contentLength: string | undefined, limits: BodyLimits): void {
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooManyBytes(limits);
}

export function observationRows(body: AsyncIterable<Buffer>, format: BodyFormat, source: SourceDefinition, limits: BodyLimits): AsyncIterable<RawRow> {
  const bytes = byteLimited(body, limits);
  if (format === 'csv') {
    const c = source.config as { delimiter?: string; encoding?: CsvEncoding; headerMap?: Record<string, string> };
    const rows = csvRecords(Readable.from(bytes, { objectMode: false }), {
      delimiter: c.delimiter, encoding: c.encoding, headerMap: c.headerMap, schema: source.schema, maxRowBytes: limits.maxRowBytes,
    });
    return rowLimited(rows, limits);
  }
  // The JSON readers count rows themselves: one generator less on the hot path.
  const text = utf8Text(bytes);
  const rowLimits: RowLimits = { maxRows: limits.maxRows, tooMany: tooManyRows(limits), maxRowBytes: limits.maxRowBytes };
  return format === 'json' ? jsonArrayRows(text, rowLimits) : ndjsonRows(text, rowLimits);
}

async function* byteLimited(body: AsyncIterable<Buffer>, limits: BodyLimits): AsyncIterable<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limits.maxBytes) throw tooManyBytes(limits);
    yield chunk;
  }
}

async function* rowLimited(rows: AsyncIterable<RawRow>, limits: BodyLimits): AsyncIterable<RawRow> {
  for await (const row of rows) {
    if (row.row > limits.maxRows) throw tooManyRows(limits);
    yield row;
  }
}

function tooManyBytes(limits: BodyLimits): BatchTooLargeError {
  return new BatchTooLargeError(`The batch is larger than ${limits.maxBytes} bytes (INGEST_MAX_BATCH_BYTES); split it into smaller batches`);
}

function tooManyRows(limits: BodyLimits): BatchTooLargeError {
  return new BatchTooLargeError(`The batch has more than ${limits.maxRows} rows (the source's maxBatchRows); split it into smaller batches`);
}
