/**
 * CSV in, raw rows out: decodes the bytes strictly (bad encoding is an error, never mojibake),
 * parses with csv-parse, checks the header against the source schema (after headerMap), and
 * yields one RawRow per data row keyed by schema field. Shared by the push upload and csv sources.
 */
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { RowTooLargeError, utf8Bytes, type SourceSchema } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';

export const CSV_ENCODINGS = ['utf-8', 'latin1', 'utf-16le'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface CsvRecordsOptions {
  delimiter?: string;
  encoding?: CsvEncoding;
  /** CSV header → schema field, for files whose column names differ from the schema. */
  headerMap?: Record<string, string>;
  schema: SourceSchema;
  /** Largest record (its values, in UTF-8 bytes); the parser stops buffering past it. Default: none. */
  maxRowBytes?: number;
}

/** The file itself is unusable (encoding, header, quoting); no row of it can be trusted. */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

export async function* csvRecords(input: Readable, opts: CsvRecordsOptions): AsyncIterable<RawRow> {
  const maxRowBytes = opts.maxRowBytes ?? Infinity;
  // csv-parse counts a record's size in characters and bytes (never more than its UTF-8 bytes),
  // so its cap bounds the buffer and the exact check below decides.
  const parser = parse({
    delimiter: opts.delimiter ?? ',', skip_empty_lines: true, relax_column_count: false,
    max_record_size: Number.isFinite(maxRowBytes) ? maxRowBytes : 0,
  });
  const feeding = pipeline(input, decoder(opts.encoding ?? 'utf-8'), parser);
  // The pipeline's failure is read through the parser below; keep it from surfacing twice.
  feeding.catch(() => undefined);
  let columns: string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = checkedHeader(record, opts);
        continue;
      }
      row += 1;
      if (recordBytesOver(record, maxRowBytes)) throw new RowTooLargeError(row, maxRowBytes);
      const values: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i]!] = record[i];
      yield { row, values };
    }
    await feeding;
  } catch (err) {
    throw asFormatError(err, maxRowBytes);
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
  if (!columns) throw new CsvFormatError('The CSV is empty: expected a header line naming the columns');
}

/** Schema field of each column, or an error naming every unknown, duplicate and missing column. */
export function checkedHeader(header: string[], opts: Pick<CsvRecordsOptions, 'headerMap' | 'schema'>): string[] {
  const known = new Set(opts.schema.fields.map((f) => f.name));
  const columns = header.map((h) => {
    const name = h.trim();
    return opts.headerMap?.[name] ?? name;
  });
  const problems: string[] = [];
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map(quoted).join(', ')} (not a field of the source schema; map it with headerMap)`);
  }
  const seen = new Set<string>();
  const repeated = columns.filter((c) => (seen.has(c) ? true : (seen.add(c), false)));
  if (repeated.length > 0) problems.push(`repeated column${repeated.length > 1 ? 's' : ''} ${[...new Set(repeated)].map(quoted).join(', ')}`);
  const missing = opts.schema.fields.filter((f) => f.required && !seen.has(f.name)).map((f) => f.name);
  if (missing.length > 0) problems.push(`missing required column${missing.length > 1 ? 's' : ''} ${missing.map(quoted).join(', ')}`);
  if (problems.length > 0) throw new CsvFormatError(`Wrong CSV header: ${problems.join('; ')}`);
  return columns;
}

const quoted = (s: string) => JSON.stringify(s);

/** Bytes → text in the declared encoding; invalid bytes fail instead of becoming U+FFFD. */
function decoder(encoding: CsvEncoding): Transform {
  if (encoding === 'latin1') {
    // Every byte is a latin1 character, so there is nothing to reject (and no split characters).
    return new Transform({ transform: (chunk: Buffer, _enc, done) => done(null, chunk.toString('latin1')) });
  }
  const text = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  const decode = (chunk: Buffer | undefined, done: TransformCallback) => {
    try {
      const out = chunk ? text.decode(chunk, { stream: true }) : text.decode();
      offset += chunk?.length ?? 0;
      done(null, out);
    } catch {
      done(new CsvFormatError(`The CSV is not valid ${encoding}${chunk ? ` (invalid bytes within the first ${offset + chunk.length} bytes)` : ' (it ends inside a character)'}; declare its encoding in the source config`));
    }
  };
  return new Transform({ transform: (chunk: Buffer, _enc, done) => decode(chunk, done), flush: (done) => decode(undefined, done) });
}

function recordBytesOver(record: string[], maxBytes: number): boolean {
  if (maxBytes === Infinity) return false;
  let units = 0;
  for (const field of record) units += field.length;
  if (units * 3 <= maxBytes) return false;
  let bytes = 0;
  for (const field of record) bytes += utf8Bytes(field);
  return bytes > maxBytes;
}

/**
 * The parser's error, naming the data row it broke in. The parser reads ahead of the rows taken
 * so far, so the row comes from its own record count (the header is record 1: data row n is
 * record n + 1, and the failing record is the one after those counted).
 */
function asFormatError(err: unknown, maxRowBytes: number): Error {
  if (err instanceof CsvFormatError || err instanceof RowTooLargeError) return err;
  if (err instanceof CsvError) {
    const { lines, records } = err as CsvError & { lines?: number; records?: number };
    if (err.code === 'CSV_MAX_RECORD_SIZE' && records) return new RowTooLargeError(records, maxRowBytes);
    const where = records === undefined ? '' : records === 0 ? ' (the header line)' : ` (data row ${records})`;
    const message = err.code === 'CSV_MAX_RECORD_SIZE' ? `it is larger than ${maxRowBytes} bytes` : err.message;
    return new CsvFormatError(`Malformed CSV${lines ? ` at line ${lines}` : ''}${where}: ${message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
