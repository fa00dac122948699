/**
 * Streaming reader for pushed JSON: a top-level array of row objects, or `{"rows": [...]}`. The
 * body is never held whole: a small scanner finds where each row object ends, carrying its state
 * (depth, inside a string, after a backslash) across chunk boundaries, the rows that are complete
 * in one piece of the body are parsed together, and every error names its row. A row still open
 * is kept only up to the row size limit.
 */
import { chunkedRows, ChunkedRows, RawRow } from '@opsloop/persistence';
import { BodyFormatError, checkRowSize, isJsonSpace, NO_LIMITS, parseRows, RowLimits } from './observation-text';

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;
const ROWS_PREFIX = /^\{[ \t\n\r]*"rows"[ \t\n\r]*:[ \t\n\r]*\[/;
/** Enough text to tell `{"rows": [` from another object (with generous whitespace). */
const PREFIX_WINDOW = 4096;

/** Where the scanner is between chunks. */
interface ArrayScan {
  wrapped: boolean;
  /** Expecting a row or `]` (just after `[`), a row (after a comma), or `,`/`]` (after a row). */
  expect: 'row-or-end' | 'row' | 'comma-or-end';
  /** Nesting depth inside the current row; 0 between rows. */
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** Rows completed so far. */
  row: number;
  limits: RowLimits;
}

/** Rows of a JSON array body, a chunk per piece of body text (see ChunkedRows). */
export function jsonArrayRows(text: AsyncIterable<string>, limits: RowLimits = NO_LIMITS): ChunkedRows {
  return chunkedRows(() => jsonArrayChunks(text, limits));
}

async function* jsonArrayChunks(text: AsyncIterable<string>, limits: RowLimits): AsyncIterable<RawRow[]> {
  let pending = '';
  // How much of `pending` the scanner has read already: a row cut by the last chunk boundary.
  let scanned = 0;
  let scan: ArrayScan | null = null;
  let ended = false;
  let trailer = '';
  for await (const chunk of text) {
    pending += chunk;
    if (scan === null) {
      const opened = openArray(pending, limits, false);
      pending = opened.rest;
      if (!opened.scan) continue;
      scan = opened.scan;
    }
    if (!ended) {
      const out = scanRows(pending, scanned, scan);
      if (out.rows.length > 0) yield out.rows;
      [pending, scanned, ended] = [out.rest, out.rest.length, out.ended];
    }
    if (ended) {
      trailer = checkTrailer(trailer + pending, scan, false);
      pending = '';
    }
  }
  if (scan === null) {
    const opened = openArray(pending, limits, true);
    [scan, pending] = [opened.scan!, opened.rest];
  }
  if (!ended) {
    const out = scanRows(pending, scanned, scan);
    if (out.rows.length > 0) yield out.rows;
    if (!out.ended) throw new BodyFormatError(`Malformed JSON: the body ends before the rows array is closed (after row ${scan.row})`);
    pending = out.rest;
  }
  checkTrailer(trailer + pending, scan, true);
}

/**
 * The scanner positioned just inside the rows array. Before the body has shown enough to decide
 * (`final` false), no scanner: `rest` is the text to keep, leading whitespace dropped.
 */
function openArray(text: string, limits: RowLimits, final: boolean): { scan: ArrayScan | null; rest: string } {
  const fresh = (wrapped: boolean): ArrayScan => ({ wrapped, expect: 'row-or-end', depth: 0, inString: false, escaped: false, row: 0, limits });
  const body = trimJsonStart(text);
  if (body.startsWith('[')) return { scan: fresh(false), rest: body.slice(1) };
  const wrapped = ROWS_PREFIX.exec(body);
  if (wrapped) return { scan: fresh(true), rest: body.slice(wrapped[0].length) };
  if (!final && (body === '' || (body.startsWith('{') && body.length < PREFIX_WINDOW))) return { scan: null, rest: body };
  if (body === '') throw new BodyFormatError('The body is empty: send a JSON array of rows or {"rows": [...]}');
  throw new BodyFormatError('The body must be a JSON array of row objects or {"rows": [...]} (with "rows" as its only key)');
}

/** After the rows array: only whitespace, and the closing brace of the `{"rows": ...}` form. */
function checkTrailer(rest: string, scan: ArrayScan, final: boolean): string {
  const t = trimJsonStart(rest);
  const close = scan.wrapped && t.startsWith('}') ? 1 : 0;
  const after = trimJsonStart(t.slice(close));
  if (after === '' && (close === 1 || !scan.wrapped || !final)) return t.slice(0, close);
  if (scan.wrapped && t === '') throw new BodyFormatError('Malformed JSON: the {"rows": [...]} object is not closed');
  throw new BodyFormatError(`Malformed JSON after the rows array: unexpected ${JSON.stringify(t.slice(0, 20))}${scan.wrapped ? ' (only "rows" is accepted)' : ''}`);
}

function trimJsonStart(text: string): string {
  let i = 0;
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i === 0 ? text : text.slice(i);
}

/**
 * Finds every complete row in `text`, reading from `from` (what comes before was read with the
 * last chunk: the start of a row that chunk cut). The open row is returned for the next chunk.
 */
function scanRows(text: string, from: number, s: ArrayScan): { rows: RawRow[]; rest: string; ended: boolean } {
  let start = s.depth > 0 ? 0 : -1;
  const starts: number[] = [];
  const ends: number[] = [];
  const firstRow = s.row + 1;
  const done = (rest: string, ended: boolean) => {
    // Between the rows there are only commas and whitespace: the span parses as one array.
    const rows = starts.length === 0 ? [] : parseRows(text.slice(starts[0], ends.at(-1)), starts.length, firstRow, (i) => text.slice(starts[i], ends[i]));
    return { rows, rest, ended };
  };
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (s.depth > 0) {
      if (s.inString) i = skipString(text, i, s);
      else if (c === QUOTE) s.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) s.depth += 1;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --s.depth === 0) {
        if (++s.row > s.limits.maxRows) throw s.limits.tooMany;
        checkRowSize(text, start, i + 1, s.row, s.limits);
        starts.push(start);
        ends.push(i + 1);
        s.expect = 'comma-or-end';
        start = -1;
      }
      continue;
    }
    if (isJsonSpace(c)) continue;
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
  // The open row is refused as soon as it is over the limit, before the rest of it is read.
  if (start >= 0) checkRowSize(text, start, text.length, s.row + 1, s.limits);
  return done(start >= 0 ? text.slice(start) : '', false);
}

/**
 * From `i` inside a string: the index of its closing quote (the scanner leaves the string), or
 * the last index of `text` when the string goes on in the next chunk. A quote closes the string
 * when an even run of backslashes precedes it, so indexOf finds the candidates and no character
 * in between is looked at.
 */
function skipString(text: string, i: number, s: ArrayScan): number {
  // A backslash ended the last chunk: this character is escaped, whatever it is.
  if (s.escaped) [s.escaped, i] = [false, i + 1];
  const backslashesBefore = (at: number) => {
    let run = 0;
    while (at - run - 1 >= i && text.charCodeAt(at - run - 1) === BACKSLASH) run++;
    return run;
  };
  for (let q = text.indexOf('"', i); q >= 0; q = text.indexOf('"', q + 1)) {
    if (backslashesBefore(q) % 2 === 0) {
      s.inString = false;
      return q;
    }
  }
  s.escaped = backslashesBefore(text.length) % 2 === 1;
  return text.length - 1;
}

function rowShapeError(s: ArrayScan, seen: string): string {
  const at = JSON.stringify(seen);
  if (s.expect === 'comma-or-end') return `Malformed JSON after row ${s.row}: expected "," or "]", found ${at}`;
  return `Malformed JSON at row ${s.row + 1}: every row must be a JSON object, found ${at}`;
}
