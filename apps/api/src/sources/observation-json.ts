/**
 * Streaming readers for pushed JSON: a top-level array (or `{"rows": [...]}`) and NDJSON. The
 * body is never held whole: a small scanner finds where each row object ends, the rows that
 * arrived in one piece of the body are parsed together, and every error names its row.
 */
import { chunkedRows, ChunkedRows, RawRow } from '@opsloop/persistence';

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

/** Stops the read when a batch has more rows than it may. */
export interface RowCap {
  maxRows: number;
  tooMany: Error;
}

const NO_CAP: RowCap = { maxRows: Infinity, tooMany: new Error('unreachable') };

/** NDJSON rows, a chunk per piece of body text (see ChunkedRows). */
export function ndjsonRows(text: AsyncIterable<string>, cap: RowCap = NO_CAP): ChunkedRows {
  return chunkedRows(() => ndjsonChunks(text, cap));
}

async function* ndjsonChunks(text: AsyncIterable<string>, cap: RowCap): AsyncIterable<RawRow[]> {
  let pending = '';
  let rows = 0;
  const parse = (lines: string[]) => {
    if (rows + lines.length > cap.maxRows) throw cap.tooMany;
    const parsed = parseRows(lines.join(','), lines.length, rows + 1, (i) => lines[i]!);
    rows += lines.length;
    return parsed;
  };
  for await (const chunk of text) {
    pending += chunk;
    const lines: string[] = [];
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      const line = pending.slice(start, end);
      if (!isBlank(line)) lines.push(line);
      start = end + 1;
    }
    pending = pending.slice(start);
    if (lines.length > 0) yield parse(lines);
  }
  if (!isBlank(pending)) yield parse([pending]);
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, COMMA = 0x2c;
const ROWS_PREFIX = /^\s*\{\s*"rows"\s*:\s*\[/;
/** Enough text to tell `[` from `{"rows": [` (with generous whitespace). */
const PREFIX_WINDOW = 4096;

const isSpace = (c: number) => c === SPACE || c === LF || c === CR || c === TAB;

/** Where the scanner is between chunks. */
interface ArrayScan {
  wrapped: boolean;
  /** Expecting a row or `]` (just after `[`), a row (after a comma), or `,`/`]` (after a row). */
  expect: 'row-or-end' | 'row' | 'comma-or-end';
  depth: number;
  inString: boolean;
  escaped: boolean;
  row: number;
  cap: RowCap;
}

/** Rows of a JSON array body, a chunk per piece of body text (see ChunkedRows). */
export function jsonArrayRows(text: AsyncIterable<string>, cap: RowCap = NO_CAP): ChunkedRows {
  return chunkedRows(() => jsonArrayChunks(text, cap));
}

async function* jsonArrayChunks(text: AsyncIterable<string>, cap: RowCap): AsyncIterable<RawRow[]> {
  let pending = '';
  let scan: ArrayScan | null = null;
  let ended = false;
  let trailer = '';
  for await (const chunk of text) {
    pending += chunk;
    if (scan === null) {
      if (pending.length < PREFIX_WINDOW) continue;
      ({ scan, rest: pending } = openArray(pending, cap));
    }
    if (!ended) {
      const out = scanRows(pending, scan);
      if (out.rows.length > 0) yield out.rows;
      [pending, ended] = [out.rest, out.ended];
    }
    if (ended) {
      trailer = checkTrailer(trailer + pending, scan, false);
      pending = '';
    }
  }
  if (scan === null) ({ scan, rest: pending } = openArray(pending, cap));
  if (!ended) {
    const out = scanRows(pending, scan);
    if (out.rows.length > 0) yield out.rows;
    if (!out.ended) throw new BodyFormatError(`Malformed JSON: the body ends before the rows array is closed (after row ${scan.row})`);
    pending = out.rest;
  }
  checkTrailer(trailer + pending, scan, true);
}

function openArray(text: string, cap: RowCap): { scan: ArrayScan; rest: string } {
  const fresh = (wrapped: boolean): ArrayScan => ({ wrapped, expect: 'row-or-end', depth: 0, inString: false, escaped: false, row: 0, cap });
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return { scan: fresh(false), rest: trimmed.slice(1) };
  const wrapped = ROWS_PREFIX.exec(text);
  if (wrapped) return { scan: fresh(true), rest: text.slice(wrapped[0].length) };
  if (trimmed === '') throw new BodyFormatError('The body is empty: send a JSON array of rows or {"rows": [...]}');
  throw new BodyFormatError('The body must be a JSON array of row objects or {"rows": [...]} (with "rows" as its only key)');
}

/** After the rows array: only whitespace, and the closing brace of the `{"rows": ...}` form. */
function checkTrailer(rest: string, scan: ArrayScan, final: boolean): string {
  const t = rest.trim();
  const complete = scan.wrapped ? t === '}' : t === '';
  if (complete || (!final && t === '')) return t;
  if (scan.wrapped && t === '') throw new BodyFormatError('Malformed JSON: the {"rows": [...]} object is not closed');
  throw new BodyFormatError(`Malformed JSON after the rows array: unexpected ${JSON.stringify(t.slice(0, 20))}${scan.wrapped ? ' (only "rows" is accepted)' : ''}`);
}

/** Finds every complete row in `text`; the incomplete tail is returned for the next chunk. */
function scanRows(text: string, s: ArrayScan): { rows: RawRow[]; rest: string; ended: boolean } {
  // A row cut by the previous chunk boundary continues at the start of this text.
  let start = s.depth > 0 ? 0 : -1;
  const starts: number[] = [];
  const ends: number[] = [];
  const firstRow = s.row + 1;
  const done = (rest: string, ended: boolean) => {
    // Between the rows there are only commas and whitespace: the span parses as one array.
    const rows = starts.length === 0 ? [] : parseRows(text.slice(starts[0], ends.at(-1)), starts.length, firstRow, (i) => text.slice(starts[i], ends[i]));
    return { rows, rest, ended };
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (s.depth > 0) {
      if (s.inString) {
        if (s.escaped) s.escaped = false;
        else if (c === BACKSLASH) s.escaped = true;
        else if (c === QUOTE) s.inString = false;
      } else if (c === QUOTE) s.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) s.depth += 1;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --s.depth === 0) {
        if (++s.row > s.cap.maxRows) throw s.cap.tooMany;
        starts.push(start);
        ends.push(i + 1);
        s.expect = 'comma-or-end';
        start = -1;
      }
      continue;
    }
    if (isSpace(c)) continue;
    if (c === CLOSE_BRACKET && s.expect !== 'row') return done(text.slice(i + 1), true);
    if (c === COMMA && s.expect === 'comma-or-end') {
      s.expect = 'row';
      continue;
    }
    if (c === OPEN_BRACE && s.expect !== 'comma-or-end') {
      start = i;
      s.depth = 1;
      continue;
    }
    throw new BodyFormatError(rowShapeError(s, text.slice(i, i + 20)));
  }
  return done(start >= 0 ? text.slice(start) : '', false);
}

function rowShapeError(s: ArrayScan, seen: string): string {
  const at = JSON.stringify(seen);
  if (s.expect === 'comma-or-end') return `Malformed JSON after row ${s.row}: expected "," or "]", found ${at}`;
  return `Malformed JSON at row ${s.row + 1}: every row must be a JSON object, found ${at}`;
}

/**
 * Rows from the JSON text of `count` rows separated by commas, in one JSON.parse (a third
 * cheaper than one per row); if that fails, row by row, so the error names the row.
 */
function parseRows(joined: string, count: number, firstRow: number, piece: (i: number) => string): RawRow[] {
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
