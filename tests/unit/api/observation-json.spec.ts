import fc from 'fast-check';
import { BodyFormatError, jsonArrayRows, ndjsonRows, utf8Text } from '../../../apps/api/src/sources/observation-json';
import type { RawRow } from '@opsloop/persistence';

/** The body as the request would deliver it: bytes cut at the given offsets. */
async function* bytes(body: Buffer, cuts: number[]): AsyncIterable<Buffer> {
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b)) {
    yield body.subarray(from, cut);
    from = cut;
  }
  yield body.subarray(from);
}

async function readAll(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const rowObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })), { maxKeys: 5 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });
const expected = (objects: object[]) => objects.map((values, i) => ({ row: i + 1, values }));

describe('streamed JSON bodies', () => {
  it('reads the same rows from a JSON array however the bytes are split', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 20 }), cuts, async (objects, at) => {
      const body = Buffer.from(JSON.stringify(objects, null, objects.length % 2 ? 2 : undefined));
      expect(await readAll(jsonArrayRows(utf8Text(bytes(body, at))))).toEqual(expected(objects));
    }));
  });

  it('reads the {"rows": [...]} form and NDJSON the same way', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 20 }), cuts, async (objects, at) => {
      const wrapped = Buffer.from(` {"rows" : ${JSON.stringify(objects)}}\n`);
      expect(await readAll(jsonArrayRows(utf8Text(bytes(wrapped, at))))).toEqual(expected(objects));
      const ndjson = Buffer.from(objects.map((o) => JSON.stringify(o)).join('\n'));
      expect(await readAll(ndjsonRows(utf8Text(bytes(ndjson, at))))).toEqual(expected(objects));
    }));
  });

  it.each([
    ['[{"a": 1}, {"a": }]', 'Malformed JSON in row 2: '],
    ['[{"a": 1} {"a": 2}]', 'Malformed JSON after row 1: expected "," or "]", found "{\\"a\\": 2}]"'],
    ['[{"a": 1},]', 'Malformed JSON at row 2: every row must be a JSON object, found "]"'],
    ['[{"a": 1}] x', 'Malformed JSON after the rows array: unexpected "x"'],
    ['{"rows": [{"a": 1}], "more": 1}', 'Malformed JSON after the rows array: unexpected ", \\"more\\": 1}" (only "rows" is accepted)'],
    ['{"rows": [{"a": 1}]', 'Malformed JSON: the {"rows": [...]} object is not closed'],
    ['{"data": [{"a": 1}]}', 'The body must be a JSON array of row objects or {"rows": [...]}'],
    ['[{"a": "]"}', 'Malformed JSON: the body ends before the rows array is closed (after row 1)'],
    ['[{"a": "]}', 'Malformed JSON: the body ends before the rows array is closed (after row 0)'],
    ['', 'The body is empty'],
  ])('refuses %s with a message naming where it broke', async (body, message) => {
    await expect(readAll(jsonArrayRows(utf8Text(bytes(Buffer.from(body), []))))).rejects.toThrow(message);
  });

  it('names the NDJSON line that is not one object', async () => {
    await expect(readAll(ndjsonRows(utf8Text(bytes(Buffer.from('{"a":1}\n\n[1]\n'), []))))).rejects.toThrow('Row 2 is not a JSON object');
    await expect(readAll(ndjsonRows(utf8Text(bytes(Buffer.from('{"a":1}\n{"a":2},{"a":3}\n'), []))))).rejects.toThrow(/^Malformed JSON in row 2: /);
  });

  it('refuses invalid UTF-8 instead of replacing it', async () => {
    const body = Buffer.concat([Buffer.from('[{"a": "'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('"}]')]);
    await expect(readAll(jsonArrayRows(utf8Text(bytes(body, [9]))))).rejects.toThrow(BodyFormatError);
  });

  it('stops at the row cap', async () => {
    const tooMany = new Error('too many');
    const body = Buffer.from(JSON.stringify([{}, {}, {}]));
    await expect(readAll(jsonArrayRows(utf8Text(bytes(body, [])), { maxRows: 2, tooMany }))).rejects.toBe(tooMany);
    await expect(readAll(jsonArrayRows(utf8Text(bytes(body, [])), { maxRows: 3, tooMany }))).resolves.toHaveLength(3);
  });
});
