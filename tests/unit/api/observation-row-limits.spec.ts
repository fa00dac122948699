import { Readable } from 'node:stream';
import fc from 'fast-check';
import { csvRecords } from '@opsloop/connectors';
import { RowTooLargeError, SourceSchema } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import { jsonArrayRows } from '../../../apps/api/src/sources/observation-json';
import { ndjsonRows } from '../../../apps/api/src/sources/observation-ndjson';
import { RowLimits, utf8Text } from '../../../apps/api/src/sources/observation-text';
import { chunkSizes, inChunks, readAll, rowObject } from './json-body-generators';

const MiB = 1024 * 1024;
const limits = (maxRowBytes: number): RowLimits => ({ maxRows: Infinity, tooMany: new Error('too many'), maxRowBytes });

const SCHEMA: SourceSchema = {
  fields: [{ name: 'sku', type: 'string', required: true }, { name: 'ts', type: 'timestamp', required: true }, { name: 'note', type: 'string', required: false }],
  uniqueKey: [], timeField: 'ts', seriesKey: ['sku'], dimensions: [],
};

type Reader = (body: AsyncIterable<Buffer>, maxRowBytes: number) => AsyncIterable<RawRow>;
const READERS: Record<'json' | 'ndjson' | 'csv', Reader> = {
  json: (body, max) => jsonArrayRows(utf8Text(body), limits(max)),
  ndjson: (body, max) => ndjsonRows(utf8Text(body), limits(max)),
  csv: (body, max) => csvRecords(Readable.from(body, { objectMode: false }), { schema: SCHEMA, maxRowBytes: max }),
};

/** A body whose row 3 never ends; counts the bytes the reader pulled. */
function endlessThirdRow(format: keyof typeof READERS): { body: AsyncIterable<Buffer>; pulled: () => number } {
  const head = {
    json: '[{"sku":"a","ts":"2024-05-01"},\n{"sku":"b","ts":"2024-05-01"},\n{"sku":"c","ts":"2024-05-01","note":"',
    ndjson: '{"sku":"a","ts":"2024-05-01"}\n\n{"sku":"b","ts":"2024-05-01"}\n{"sku":"c","ts":"2024-05-01","note":"',
    csv: 'sku,ts,note\na,2024-05-01,\n\nb,2024-05-01,\nc,2024-05-01,"quoted, and endless ',
  }[format];
  let pulled = 0;
  async function* body(): AsyncIterable<Buffer> {
    const filler = Buffer.from('x€'.repeat(16 * 1024));
    for (let chunk = Buffer.from(head); ; chunk = filler) {
      pulled += chunk.length;
      yield chunk;
    }
  }
  return { body: body(), pulled: () => pulled };
}

describe('the per-row size limit of pushed bodies', () => {
  it.each(['json', 'ndjson', 'csv'] as const)('%s: refuses a row that never ends, naming it, after reading little more than the limit', async (format) => {
    const { body, pulled } = endlessThirdRow(format);
    const read = readAll(READERS[format](body, MiB));
    await expect(read).rejects.toThrow(new RowTooLargeError(3, MiB));
    await expect(read).rejects.toBeInstanceOf(RowTooLargeError);
    // Bounded: the reader stopped within a few chunks of the limit (each 64 KiB of filler).
    expect(pulled()).toBeLessThan(MiB + 4 * 64 * 1024);
  });

  it('counts a row in UTF-8 bytes, exactly: a row of the limit is taken and one byte more is refused', async () => {
    // Each of é, €, 😀 takes 2, 3, 4 bytes: a row whose character count says nothing of its size.
    const rowOf = (bytes: number) => {
      const text = '{"note":""}';
      let note = '😀€é'.repeat(Math.floor((bytes - text.length) / 9));
      note += 'x'.repeat(bytes - text.length - Buffer.byteLength(note));
      return `{"note":"${note}"}`;
    };
    const max = 10_000;
    const body = (rows: string[]) => inChunks(Buffer.from(`[${rows.join(',')}]`), [4096]);
    expect(Buffer.byteLength(rowOf(max))).toBe(max);
    await expect(readAll(READERS.json(body([rowOf(20), rowOf(max)]), max))).resolves.toHaveLength(2);
    await expect(readAll(READERS.json(body([rowOf(20), rowOf(max + 1)]), max))).rejects.toThrow(new RowTooLargeError(2, max));
    const lines = (rows: string[]) => inChunks(Buffer.from(rows.join('\n')), [4096]);
    await expect(readAll(READERS.ndjson(lines([rowOf(max), rowOf(20)]), max))).resolves.toHaveLength(2);
    await expect(readAll(READERS.ndjson(lines([rowOf(max + 1), rowOf(20)]), max))).rejects.toThrow(new RowTooLargeError(1, max));
  });

  it('refuses exactly the batches with a row over the limit, naming the first such row', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 40 }), fc.integer({ min: 2, max: 400 }), chunkSizes, async (rows, max, sizes) => {
      const texts = rows.map((r) => JSON.stringify(r));
      const first = texts.findIndex((t) => Buffer.byteLength(t) > max);
      const expected = (read: Promise<RawRow[]>) => (first < 0 ? expect(read).resolves.toHaveLength(rows.length) : expect(read).rejects.toThrow(new RowTooLargeError(first + 1, max)));
      await expected(readAll(READERS.json(inChunks(Buffer.from(`[${texts.join(',')}]`), sizes), max)));
      await expected(readAll(READERS.ndjson(inChunks(Buffer.from(texts.join('\n')), sizes), max)));
    }), { numRuns: 200 });
  });

  it('csv: measures a record by its values, and names the data row (not the line) over the limit', async () => {
    const max = 64;
    const csv = (note: string) => Buffer.from(`sku,ts,note\na,2024-05-01,"two\nlines"\n\nb,2024-05-01,${note}\nc,2024-05-01,x\n`);
    // "b" + "2024-05-01" + note: 11 bytes before the note.
    await expect(readAll(READERS.csv(inChunks(csv('é'.repeat(26) + 'x'), [7]), max))).resolves.toHaveLength(3);
    await expect(readAll(READERS.csv(inChunks(csv('é'.repeat(26) + 'xy'), [7]), max))).rejects.toThrow(new RowTooLargeError(2, max));
    await expect(readAll(READERS.csv(inChunks(csv('x'.repeat(500)), [7]), max))).rejects.toThrow(new RowTooLargeError(2, max));
  });

  it('limits each row, not the batch: many rows under the limit pass', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `{"sku":"A-${i}","ts":"2024-05-01"}`);
    await expect(readAll(READERS.json(inChunks(Buffer.from(`[${rows.join(',')}]`), [65_536]), 64))).resolves.toHaveLength(20_000);
  });
});
