/**
 * Size rules for one input row: how large a row a batch may carry (readers stop buffering past
 * it, so one huge row cannot eat the process's memory) and how long a stored key may be (Postgres
 * btree entries hold about 2.7 kB; a longer unique or series key would fail the whole batch).
 */

/** Default of INGEST_MAX_ROW_BYTES: far above any real observation, far below a memory problem. */
export const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;

/** Longest unique or series key, in UTF-8 bytes, leaving room for the other index columns. */
export const MAX_KEY_BYTES = 2000;

/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/** One row of the input is larger than the batch allows; `row` is 1-based, as in every report. */
export class RowTooLargeError extends Error {
  override readonly name = 'RowTooLargeError';

  constructor(readonly row: number, readonly maxBytes: number) {
    super(`Row ${row} is larger than ${maxBytes} bytes`);
  }
}

/** UTF-8 length of `text.slice(from, to)` without encoding it. */
export function utf8Bytes(text: string, from = 0, to = text.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    // A high surrogate followed by a low one is one 4-byte character; alone, U+FFFD's 3 bytes.
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether `text.slice(from, to)` takes more than `maxBytes` in UTF-8. Counts bytes only for text
 * whose length alone does not decide, so the common short row costs one comparison.
 */
export function exceedsBytes(text: string, maxBytes: number, from = 0, to = text.length): boolean {
  const units = to - from;
  if (units * MAX_BYTES_PER_UNIT <= maxBytes) return false;
  if (units > maxBytes) return true;
  return utf8Bytes(text, from, to) > maxBytes;
}
