import fc from 'fast-check';
import { jsonArrayRows } from '../../../apps/api/src/sources/observation-json';
import { ndjsonRows } from '../../../apps/api/src/sources/observation-ndjson';
import { BodyFormatError, utf8Text } from '../../../apps/api/src/sources/observation-text';
import { bodyBytes, chunkSizes, cutAt, expectRows, inChunks, layout, numbered, readAll, repeatedTo, rowObject, serialize } from './json-body-generators';

const readJson = (body: Buffer, sizes: number[]) => readAll(jsonArrayRows(utf8Text(inChunks(body, sizes))));
const readNdjson = (body: Buffer, sizes: number[]) => readAll(ndjsonRows(utf8Text(inChunks(body, sizes))));

/** One body with every kind of token a chunk boundary can fall into. */
const EVERY_KIND = '[ {"a":"x\\"y\\\\z\\/\\u00e9\\ud83d\\ude00\\n","é€😀":"é€😀{}[],:\\"","n":-12.5e+3,"m":0.000125,"i":0,"t":true,"f":false,'
  + '"z":null,"arr":[1,[2,{"b":"]"}],{}],"o":{"p":{"q":"}"}}} ,\r\n\t{"s":"\\\\"}, {} , {"deep":[[[["\\\\\\""]]]]}]';
/** Plain rows first, past the window where the reader looks for `[` or `{"rows": [`. */
const LONG_PREFIX = JSON.stringify(Array.from({ length: 150 }, (_, i) => ({ sku: `A-${i}`, qty: i, note: "ü".repeat(i % 7) }))).slice(0, -1);

describe('streamed JSON bodies', () => {
  it('reads a JSON array of any size exactly as JSON.parse does, however the bytes are split', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 30 }), bodyBytes, layout, chunkSizes, async (unit, bytes, l, sizes) => {
      const body = Buffer.from(serialize(repeatedTo(unit, bytes), l));
      expectRows(await readJson(body, sizes), JSON.parse(body.toString()));
    }), { numRuns: 20 });
  });

  it('reads the {"rows": [...]} form the same way', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 30 }), bodyBytes, layout, chunkSizes, async (unit, bytes, l, sizes) => {
      const body = Buffer.from(serialize({ rows: repeatedTo(unit, bytes) }, l));
      expectRows(await readJson(body, sizes), JSON.parse(body.toString()).rows);
    }), { numRuns: 15 });
  });

  it('reads NDJSON line by line exactly as JSON.parse does, however the bytes are split', async () => {
    const endings = fc.constantFrom('\n', '\r\n', '\n\n', '\n \t\n');
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 30 }), bodyBytes, endings, chunkSizes, async (unit, bytes, eol, sizes) => {
      const lines = repeatedTo(unit, bytes).map((o) => JSON.stringify(o));
      const body = Buffer.from(lines.join(eol) + (lines.length % 2 ? eol : ''));
      expectRows(await readNdjson(body, sizes), lines.map((line) => JSON.parse(line)));
    }), { numRuns: 15 });
  });

  it.each([
    ['on its own', EVERY_KIND],
    ['after a long run of plain rows', `${LONG_PREFIX},${EVERY_KIND.slice(1)}`],
    ['in the {"rows": [...]} form', ` {"rows" :\n${EVERY_KIND}} `],
  ])('agrees with JSON.parse for a cut at every byte and every character of a body with every kind of token (%s)', async (_how, text) => {
    const body = Buffer.from(text);
    const parsed = JSON.parse(text);
    const expected = numbered(Array.isArray(parsed) ? parsed : parsed.rows);
    const tricky = text.indexOf('{"a":"x');
    const from = Buffer.byteLength(text.slice(0, tricky));
    for (let cut = from; cut <= body.length; cut++) {
      // Two cuts in a row also put a single byte between boundaries (inside a UTF-8 sequence).
      expect(await readAll(jsonArrayRows(utf8Text(cutAt(body, [cut, cut + 1]))))).toEqual(expected);
    }
    // Text may also arrive cut anywhere, even between the two halves of a surrogate pair.
    for (let cut = tricky; cut <= text.length; cut++) {
      expect(await readAll(jsonArrayRows(cutAt(text, [cut])))).toEqual(expected);
    }
  });

  it('agrees with JSON.parse on NDJSON cut at every byte', async () => {
    const lines = (JSON.parse(EVERY_KIND) as object[]).map((o) => JSON.stringify(o).replace(/"$/, ' "'));
    const body = Buffer.from(`${lines.join('\r\n')}\n\n`);
    for (let cut = 0; cut <= body.length; cut++) {
      expect(await readAll(ndjsonRows(utf8Text(cutAt(body, [cut, cut + 1]))))).toEqual(numbered(lines.map((l) => JSON.parse(l))));
    }
  });

  it('refuses a body JSON.parse refuses, and reads one it accepts, after any one-character edit', async () => {
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('delete', 'insert', 'replace'), char: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', ' ', 'x', '1', '\u0000') });
    await fc.assert(fc.asyncProperty(fc.array(rowObject, { maxLength: 8 }), fc.boolean(), edit, chunkSizes, async (rows, wrapped, e, sizes) => {
      const valid = JSON.stringify(wrapped ? { rows } : rows);
      const at = e.at % (valid.length + 1);
      const text = valid.slice(0, at) + (e.kind === 'delete' ? '' : e.char) + valid.slice(e.kind === 'insert' ? at : at + 1);
      // As sent: an edit that split a surrogate pair leaves U+FFFD in the bytes.
      const body = Buffer.from(text);
      const expected = acceptedRows(body.toString());
      const read = readJson(body, sizes);
      if (expected) await expect(read).resolves.toEqual(numbered(expected));
      else {
        await expect(read).rejects.toThrow(BodyFormatError);
        // Where it broke: a row number, or the part of the body around the rows.
        await expect(read).rejects.toThrow(/\brow \d+|the rows array|the \{"rows": \[\.\.\.\]\} object|^The body (is empty|must be)/);
      }
    }), { numRuns: 400 });
  });

  it('names the broken row however far into a multi-chunk body it is', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), chunkSizes, async (broken, sizes) => {
      const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ sku: `A-${i}`, note: 'ünïcödé "quoted" \\ [x]', qty: i }));
      rows[broken - 1] = rows[broken - 1]!.replace(/"qty":\d+/, '"qty":');
      await expect(readJson(Buffer.from(`[${rows.join(',\n')}]`), sizes)).rejects.toThrow(new RegExp(`^Malformed JSON in row ${broken}: `));
      await expect(readNdjson(Buffer.from(rows.join('\n')), sizes)).rejects.toThrow(new RegExp(`^Malformed JSON in row ${broken}: `));
    }), { numRuns: 30 });
  });

  it.each([
    ['[{"a": 1}, {"a": }]', 'Malformed JSON in row 2: '],
    ['[{"a": 1} {"a": 2}]', 'Malformed JSON after row 1: expected "," or "]", found "{\\"a\\": 2}]"'],
    ['[{"a": 1},]', 'Malformed JSON at row 2: every row must be a JSON object, found "]"'],
    ['[{"a": 1}] x', 'Malformed JSON after the rows array: unexpected "x"'],
    ['{"rows": [{"a": 1}], "more": 1}', 'Malformed JSON after the rows array: unexpected ", \\"more\\": 1}" (only "rows" is accepted)'],
    ['{"rows": [{"a": 1}]', 'Malformed JSON: the {"rows": [...]} object is not closed'],
    ['{"rows": [{"a": 1}]}}', 'Malformed JSON after the rows array: unexpected "}}" (only "rows" is accepted)'],
    ['{"data": [{"a": 1}]}', 'The body must be a JSON array of row objects or {"rows": [...]}'],
    ['\u00a0[{"a": 1}]', 'The body must be a JSON array of row objects or {"rows": [...]}'],
    ['[{"a": "]"}', 'Malformed JSON: the body ends before the rows array is closed (after row 1)'],
    ['[{"a": "]}', 'Malformed JSON: the body ends before the rows array is closed (after row 0)'],
    ['', 'The body is empty'],
    ['  \n ', 'The body is empty'],
  ])('refuses %j with a message naming where it broke', async (body, message) => {
    await expect(readAll(jsonArrayRows(utf8Text(cutAt(Buffer.from(body), []))))).rejects.toThrow(message);
  });

  it('opens the array after any amount of leading whitespace', async () => {
    const body = Buffer.from(`${' '.repeat(70_000)}\n{ "rows" :   [{"a": 1}]}`);
    expect(await readJson(body, [4000])).toEqual([{ row: 1, values: { a: 1 } }]);
  });

  it('names the NDJSON line that is not one object', async () => {
    await expect(readNdjson(Buffer.from('{"a":1}\n\n[1]\n'), [100])).rejects.toThrow('Row 2 is not a JSON object');
    await expect(readNdjson(Buffer.from('{"a":1}\n{"a":2},{"a":3}\n'), [100])).rejects.toThrow(/^Malformed JSON in row 2: /);
  });

  it('refuses invalid UTF-8 instead of replacing it', async () => {
    const body = Buffer.concat([Buffer.from('[{"a": "'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('"}]')]);
    await expect(readAll(jsonArrayRows(utf8Text(cutAt(body, [9]))))).rejects.toThrow(BodyFormatError);
  });

  it('stops at the row cap', async () => {
    const tooMany = new Error('too many');
    const body = Buffer.from(JSON.stringify([{}, {}, {}]));
    const limits = (maxRows: number) => ({ maxRows, tooMany, maxRowBytes: Infinity });
    await expect(readAll(jsonArrayRows(utf8Text(cutAt(body, [])), limits(2)))).rejects.toBe(tooMany);
    await expect(readAll(jsonArrayRows(utf8Text(cutAt(body, [])), limits(3)))).resolves.toHaveLength(3);
  });
});

/** The rows JSON.parse sees in `text` when it is a body the endpoint takes, else null. */
function acceptedRows(text: string): unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const isRow = (r: unknown) => r !== null && typeof r === 'object' && !Array.isArray(r);
  const rows = Array.isArray(parsed) ? parsed
    : isRow(parsed) && Object.keys(parsed as object).length === 1 && Array.isArray((parsed as { rows?: unknown }).rows) ? (parsed as { rows: unknown[] }).rows
      : null;
  return rows !== null && rows.every(isRow) ? rows : null;
}
