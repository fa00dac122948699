/**
 * CSV in, raw rows out: decodes the bytes strictly (bad encoding is an error, never mojibake),
 * parses with csv-parse, checks the header against the source schema (after headerMap), and
 * yields one RawRow per data row keyed by schema field. Shared by the push upload and csv sources.
 */
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import type { SourceSchema } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';

export const CSV_ENCODINGS = ['utf-8', 'latin1', 'utf-16le'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface CsvRecordsOptions {
  delimiter?: string;
  encoding?: CsvEncoding;
  /** CSV header → schema field, for files whose column names differ from the schema. */
  headerMap?: Record<string, string>;
  schema: SourceSchema;
}

/** The file itself is unusable (encoding, header, quoting); no row of it can be trusted. */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

export async function* csvRecords(input: Readable, opts: CsvRecordsOptions): AsyncIterable<RawRow> {
  const parser = parse({ delimiter: opts.delimiter ?? ',', skip_empty_lines: true, relax_column_count: false });
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
      const values: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i]!] = record[i];
      yield { row, values };
    }
    await feeding;
  } catch (err) {
    throw asFormatError(err, row);
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

function asFormatError(err: unknown, row: number): Error {
  if (err instanceof CsvFormatError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    return new CsvFormatError(`Malformed CSV${line ? ` at line ${line}` : ''} (after data row ${row}): ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
