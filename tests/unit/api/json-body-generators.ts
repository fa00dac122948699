/**
 * Generators and helpers for the push body reader specs: row objects rich in what trips a
 * streaming scanner (quotes, backslashes, escapes, structural characters inside strings,
 * multi-byte and astral characters, nested arrays and objects, odd numbers), bodies laid out as
 * JSON.stringify would or with escapes and whitespace a client may add, and bodies cut into
 * chunks as a request stream would deliver them.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { RawRow } from '@opsloop/persistence';

const TRICKY_UNITS = ['"', '\\', '/', '\n', '\t', '\r', '\u0000', '\u001f', '\u2028', 'é', '€', '😀', '{', '}', '[', ']', ',', ':', 'a', ' ', 'u'];
const tricky = fc.string({ unit: fc.constantFrom(...TRICKY_UNITS), maxLength: 12 });
const text = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 10 }), fc.string({ maxLength: 10 }));
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e21, -1.5e-7, 0.1, 123456789012345680000));
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
}));

export const rowObject = fc.dictionary(text, value, { maxKeys: 6 });

/** How a client may lay out the same rows: indentation, \u and \/ escapes, whitespace around. */
export interface Layout {
  indent: undefined | number | string;
  escapeNonAscii: boolean;
  escapeSlash: boolean;
  around: string;
}

export const layout: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom(undefined, 1, 2, '\t'),
  escapeNonAscii: fc.boolean(),
  escapeSlash: fc.boolean(),
  around: fc.constantFrom('', ' ', '\n', '\r\n\t '),
});

/** JSON text of `value` in the given layout; every variant means the same to JSON.parse. */
export function serialize(value: unknown, l: Layout): string {
  let json = JSON.stringify(value, null, l.indent);
  // Outside strings JSON has neither non-ASCII characters nor slashes: these edits stay inside.
  if (l.escapeNonAscii) json = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (l.escapeSlash) json = json.replace(/\//g, '\\/');
  return `${l.around}${json}${l.around}`;
}

/** `unit` repeated until its JSON takes about `bytes` (at least once). */
export function repeatedTo(unit: object[], bytes: number): object[] {
  const rows = unit.length > 0 ? unit : [{}];
  const copies = Math.max(1, Math.ceil(bytes / Buffer.byteLength(JSON.stringify(rows))));
  return Array.from({ length: copies }, () => rows).flat();
}

/** Body sizes from empty to several MB, most of them past one 64 KiB request chunk. */
export const bodyBytes = fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 60_000, max: 300_000 }), fc.integer({ min: 1_000_000, max: 4_000_000 }));

/**
 * Chunk lengths a request stream may deliver, used in turn: tiny ones put boundaries anywhere,
 * and one large one keeps a multi-MB body to a few hundred chunks.
 */
export const chunkSizes = fc.tuple(fc.integer({ min: 1000, max: 70_000 }), fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 70_000 })), { maxLength: 5 }))
  .map(([large, others]) => [large, ...others]);

export async function* inChunks(body: Buffer, sizes: number[]): AsyncIterable<Buffer> {
  let from = 0;
  for (let i = 0; from < body.length; i++) {
    const to = Math.min(body.length, from + sizes[i % sizes.length]!);
    yield body.subarray(from, to);
    from = to;
  }
}

/** The body cut at exactly these offsets. */
export async function* cutAt<T extends Buffer | string>(body: T, cuts: number[]): AsyncIterable<T> {
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c >= 0 && c <= body.length).sort((a, b) => a - b)) {
    yield body.slice(from, cut) as T;
    from = cut;
  }
  yield body.slice(from) as T;
}

export async function readAll(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** What a reader must yield for rows JSON.parse found. */
export const numbered = (objects: unknown[]) => objects.map((values, i) => ({ row: i + 1, values }));

/** The rows JSON.parse gave, by value, -0 and key order included (jest's toEqual only for the diff: it is slow on MBs). */
export function expectRows(actual: RawRow[], parsed: unknown[]): void {
  const expected = numbered(parsed);
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual).toEqual(expected);
  throw new Error('rows differ from JSON.parse in a way toEqual does not show (-0 or key order)');
}
