/**
 * What the two JSON body readers share: strict UTF-8 decoding of the request chunks, the limits
 * they enforce while reading (rows per batch, bytes per row), and turning row texts into rows
 * with one JSON.parse per chunk, falling back to one per row so an error names its row.
 */
import { exceedsBytes, RowTooLargeError } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';

/** The request body cannot be read as rows at all (syntax, encoding, shape). */
export class BodyFormatError extends Error {
  override readonly name = 'BodyFormatError';
}

/** Chunks of a UTF-8 body as text; invalid bytes are an error, never U+FFFD. */
export async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new BodyFormatError(`The body is not valid UTF-8 (invalid bytes within the first ${offset + (chunk?.length ?? 0)} bytes)`);
    }
  };
  for await (const chunk of chunks) {
    const text = decode(chunk);
    offset += chunk.length;
    if (text !== '') yield text;
  }
  const tail = decode();
  if (tail !== '') yield tail;
}

/** Checked while reading, so a batch or a row over its limit stops the read early. */
export interface RowLimits {
  maxRows: number;
  /** Thrown when the batch has more than maxRows rows. */
  tooMany: Error;
  /** Largest row (its JSON text) in UTF-8 bytes; a longer one throws RowTooLargeError. */
  maxRowBytes: number;
}

export const NO_LIMITS: RowLimits = { maxRows: Infinity, tooMany: new Error('unreachable'), maxRowBytes: Infinity };

/** Refuses row `row`, whose text is `text.slice(from, to)`, when it is over the byte limit. */
export function checkRowSize(text: string, from: number, to: number, row: number, limits: RowLimits): void {
  if (exceedsBytes(text, limits.maxRowBytes, from, to)) throw new RowTooLargeError(row, limits.maxRowBytes);
}

/**
 * Rows from the JSON text of `count` rows separated by commas, in one JSON.parse (a third
 * cheaper than one per row); if that fails, row by row, so the error names the row.
 */
export function parseRows(joined: string, count: number, firstRow: number, piece: (i: number) => string): RawRow[] {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(`[${joined}]`);
  } catch {
    // found below, row by row
  }
  if (!Array.isArray(parsed) || parsed.length !== count) {
    return Array.from({ length: count }, (_, i) => ({ row: firstRow + i, values: parseRow(piece(i), firstRow + i) }));
  }
  return parsed.map((value: unknown, i) => ({ row: firstRow + i, values: asRow(value, firstRow + i) }));
}

function parseRow(text: string, row: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyFormatError(`Malformed JSON in row ${row}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return asRow(value, row);
}

function asRow(value: unknown, row: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BodyFormatError(`Row ${row} is not a JSON object`);
  return value as Record<string, unknown>;
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;

/** JSON's own whitespace (not JavaScript's wider \s). */
export const isJsonSpace = (c: number) => c === SPACE || c === LF || c === CR || c === TAB;

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isJsonSpace(text.charCodeAt(i))) return false;
  return true;
}
