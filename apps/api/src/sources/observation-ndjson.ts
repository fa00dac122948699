/**
 * Streaming reader for NDJSON pushes: one JSON object per line, blank lines skipped. The lines
 * that arrived whole in one piece of the body are parsed together; a line still open is kept
 * only up to the row size limit, so one endless line cannot fill the memory.
 */
import { chunkedRows, ChunkedRows, RawRow } from '@opsloop/persistence';
import { checkRowSize, isBlank, NO_LIMITS, parseRows, RowLimits } from './observation-text';

/** NDJSON rows, a chunk per piece of body text (see ChunkedRows). */
export function ndjsonRows(text: AsyncIterable<string>, limits: RowLimits = NO_LIMITS): ChunkedRows {
  return chunkedRows(() => ndjsonChunks(text, limits));
}

async function* ndjsonChunks(text: AsyncIterable<string>, limits: RowLimits): AsyncIterable<RawRow[]> {
  let pending = '';
  let rows = 0;
  const parse = (lines: string[]) => {
    if (rows + lines.length > limits.maxRows) throw limits.tooMany;
    const parsed = parseRows(lines.join(','), lines.length, rows + 1, (i) => lines[i]!);
    rows += lines.length;
    return parsed;
  };
  for await (const chunk of text) {
    // The pending tail holds no newline: only the new text needs searching.
    let end = chunk.indexOf('\n');
    if (end >= 0) end += pending.length;
    pending += chunk;
    const lines: string[] = [];
    let start = 0;
    for (; end >= 0; end = pending.indexOf('\n', start)) {
      const line = pending.slice(start, end);
      if (!isBlank(line)) {
        checkRowSize(line, 0, line.length, rows + lines.length + 1, limits);
        lines.push(line);
      }
      start = end + 1;
    }
    pending = pending.slice(start);
    // A line still open past the limit is refused now, before the rest of it is read.
    checkRowSize(pending, 0, pending.length, rows + lines.length + 1, limits);
    if (lines.length > 0) yield parse(lines);
  }
  if (!isBlank(pending)) {
    checkRowSize(pending, 0, pending.length, rows + 1, limits);
    yield parse([pending]);
  }
}
