import fc from 'fast-check';
import { exceedsBytes, MAX_KEY_BYTES, RowValidator, SourceSchema, TypedValue, utf8Bytes } from '@opsloop/domain';

describe('row and key sizes', () => {
  it('counts UTF-8 bytes as Buffer does, for any text and any slice of it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.nat(), fc.nat(), (text, a, b) => {
      const [from, to] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y) as [number, number];
      // A pair cut by the slice becomes a lone surrogate: Buffer writes U+FFFD for it, 3 bytes.
      expect(utf8Bytes(text, from, to)).toBe(Buffer.byteLength(text.slice(from, to)));
    }));
  });

  it('tells whether text is over a byte limit, without counting when the length decides', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 0, max: 200 }), (text, max) => {
      expect(exceedsBytes(text, max)).toBe(Buffer.byteLength(text) > max);
    }));
  });

  describe('keys too long to index', () => {
    const schema: SourceSchema = {
      fields: [
        { name: 'sku', type: 'string', required: true }, { name: 'store', type: 'string', required: true },
        { name: 'ts', type: 'timestamp', required: true }, { name: 'qty', type: 'number', required: true },
      ],
      uniqueKey: ['sku', 'store', 'ts'], timeField: 'ts', seriesKey: ['store'], valueField: 'qty', dimensions: [],
    };
    const validator = new RowValidator(schema);
    const problemsOf = (values: Record<string, unknown>) => {
      const typed = new Array<TypedValue>(4).fill(null);
      expect(validator.typeRow(values, 7, typed)).toBeNull();
      return validator.oversizeKeys(typed, validator.uniqueKey(typed), validator.seriesKey(typed), 7);
    };

    it('accepts keys up to the limit', () => {
      expect(problemsOf({ sku: 'é'.repeat(900), store: 's1', ts: '2024-05-01T00:00:00Z', qty: 1 })).toBeNull();
    });

    it('names the longest field of a unique key over the limit, in bytes', () => {
      // 1,000 characters, 2,000 bytes: with the other parts the key is over the limit.
      expect(problemsOf({ sku: 'é'.repeat(1000), store: 's1', ts: '2024-05-01T00:00:00Z', qty: 1 })).toEqual([
        { row: 7, field: 'sku', reason: `is too long for a key: it makes the unique key 2028 bytes, and at most ${MAX_KEY_BYTES} can be indexed` },
      ]);
    });

    it('names the field once when it makes both keys too long', () => {
      const problems = problemsOf({ sku: 'a', store: 'x'.repeat(5000), ts: '2024-05-01T00:00:00Z', qty: 1 });
      expect(problems).toEqual([{ row: 7, field: 'store', reason: expect.stringContaining('the unique key 5027 bytes') }]);
    });
  });
});
