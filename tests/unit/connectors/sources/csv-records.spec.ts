import { Readable } from 'node:stream';
import fc from 'fast-check';
import { csvRecords, CsvFormatError } from '@opsloop/connectors';
import type { SourceSchema } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';

const SCHEMA: SourceSchema = {
  fields: [{ name: 'sku', type: 'string', required: true }, { name: 'ts', type: 'timestamp', required: true }, { name: 'note', type: 'string', required: false }],
  uniqueKey: [], timeField: 'ts', seriesKey: ['sku'], dimensions: [],
};

async function read(csv: string, chunk = 5): Promise<RawRow[]> {
  const bytes = Buffer.from(csv);
  const pieces = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const out: RawRow[] = [];
  for await (const row of csvRecords(Readable.from(pieces, { objectMode: false }), { schema: SCHEMA })) out.push(row);
  return out;
}

/** A good data record: some span lines (a quoted note with a newline), some follow a blank line. */
const goodRecord = fc.record({ multiline: fc.boolean(), blankBefore: fc.boolean() })
  .map(({ multiline, blankBefore }) => `${blankBefore ? '\n' : ''}A,2024-05-01,${multiline ? '"first line\nsecond, line"' : 'plain'}\n`);

describe('CSV records', () => {
  it('numbers data rows from 1 after the header, whatever the lines', async () => {
    const rows = await read('sku,ts,note\nA,2024-05-01,"two\nlines"\n\nB,2024-05-01,x\nC,2024-05-01,\n');
    expect(rows.map((r) => [r.row, r.values['sku']])).toEqual([[1, 'A'], [2, 'B'], [3, 'C']]);
  });

  it.each([
    ['a row with too few fields', 'sku,ts,note\nA,2024-05-01,x\nB,2024-05-01,y\nC,2024-05-01\nD,2024-05-01,z\n', 'Malformed CSV at line 4 (data row 3): Invalid Record Length'],
    ['a row after blank lines', 'sku,ts,note\n\nA,2024-05-01,x\n\nB,2024-05-01\n', 'Malformed CSV at line 5 (data row 2): Invalid Record Length'],
    ['a quote never closed', 'sku,ts,note\nA,2024-05-01,x\nB,2024-05-01,"open\nC,2024-05-01,z\n', '(data row 2): Quote Not Closed'],
    ['a bad header', 'sku,ts,"note\n', '(the header line): Quote Not Closed'],
  ])('names the data row the parser broke in, not the last row handed on: %s', async (_what, csv, message) => {
    await expect(read(csv)).rejects.toThrow(CsvFormatError);
    await expect(read(csv)).rejects.toThrow(message);
  });

  it('names data row n + 1 when n good records come before the broken one, however they are laid out and cut', async () => {
    await fc.assert(fc.asyncProperty(fc.array(goodRecord, { maxLength: 60 }), fc.integer({ min: 1, max: 200 }), async (good, chunk) => {
      const csv = `sku,ts,note\n${good.join('')}Z,2024-05-01\nY,2024-05-01,after\n`;
      await expect(read(csv, chunk)).rejects.toThrow(`(data row ${good.length + 1}): Invalid Record Length`);
    }), { numRuns: 100 });
  });
});
