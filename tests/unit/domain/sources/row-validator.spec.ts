import fc from 'fast-check';
import { RowValidator, SourceSchema, TypedValue } from '@opsloop/domain';

const schema: SourceSchema = {
  fields: [
    { name: 'sku', type: 'string', required: true },
    { name: 'location', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'qty', type: 'number', required: true, min: 0, max: 1000 },
    { name: 'units', type: 'integer', required: false },
    { name: 'promo', type: 'boolean', required: false },
    { name: 'channel', type: 'string', required: false, allowed: ['web', 'store'] },
    { name: 'email', type: 'string', required: false, personal: 'hash' },
  ],
  uniqueKey: ['sku', 'location', 'ts'],
  timeField: 'ts',
  seriesKey: ['sku', 'location'],
  valueField: 'qty',
  dimensions: ['location', 'channel'],
};

const validator = new RowValidator(schema);
const good = { sku: 'A-1', location: 'store-2', ts: '2024-05-01T10:00:00Z', qty: 12.5 };

describe('RowValidator', () => {
  it('builds the observation: keys, dims, ts, value and the typed record', () => {
    const result = validator.validate({ ...good, units: '3', promo: 'true', channel: 'web' }, 1);
    expect(result.problems).toBeNull();
    expect(result.row).toEqual({
      uniqueKey: 'A-1|store-2|2024-05-01T10:00:00.000Z',
      seriesKey: 'A-1|store-2',
      dims: { location: 'store-2', channel: 'web' },
      ts: '2024-05-01T10:00:00.000Z',
      value: 12.5,
      record: { sku: 'A-1', location: 'store-2', ts: '2024-05-01T10:00:00.000Z', qty: 12.5, units: 3, promo: true, channel: 'web', email: null },
    });
  });

  it('coerces CSV strings to the declared types', () => {
    const result = validator.validate({ sku: 'A-1', location: 'x', ts: '1714557600000', qty: ' 4.25 ', units: '-7', promo: '0' }, 1);
    expect(result.row?.record).toMatchObject({ ts: '2024-05-01T10:00:00.000Z', qty: 4.25, units: -7, promo: false });
  });

  it('accepts epoch milliseconds and ISO offsets as the same instant', () => {
    const a = validator.validate({ ...good, ts: Date.UTC(2024, 4, 1, 10) }, 1).row!;
    const b = validator.validate({ ...good, ts: '2024-05-01T12:00:00+02:00' }, 1).row!;
    const c = validator.validate({ ...good, ts: '2024-05-01T10:00:00.000Z' }, 1).row!;
    expect(new Set([a.uniqueKey, b.uniqueKey, c.uniqueKey]).size).toBe(1);
  });

  it.each([
    [{ ...good, qty: 'abc' }, 'qty', 'expected a number, got "abc"'],
    [{ ...good, qty: '0x10' }, 'qty', 'expected a number, got "0x10"'],
    [{ ...good, qty: -1 }, 'qty', '-1 is below the minimum 0'],
    [{ ...good, qty: 1001 }, 'qty', '1001 is above the maximum 1000'],
    [{ ...good, units: 1.5 }, 'units', 'expected an integer, got 1.5'],
    [{ ...good, promo: 'maybe' }, 'promo', 'expected a boolean (true/false or 1/0), got another string'],
    [{ ...good, channel: 'fax' }, 'channel', '"fax" is not one of the allowed values "web", "store"'],
    [{ ...good, sku: { id: 1 } }, 'sku', 'expected a string, got an object'],
    [{ ...good, qty: null }, 'qty', 'is required'],
    [{ ...good, sku: '' }, 'sku', 'is required'],
    [{ ...good, extra: 1 }, 'extra', 'is not a field of the source schema'],
    [{ ...good, sku: 'a\u0000b' }, 'sku', 'contains a NUL character or a lone UTF-16 surrogate, which cannot be stored'],
  ])('reports a bad value with its row, field and reason (%#)', (values, field, reason) => {
    expect(validator.validate(values, 7).problems).toEqual([{ row: 7, field, reason }]);
  });

  it.each([
    '2024-02-30T00:00:00Z', '2023-02-29T10:00:00.000Z', '2024-04-31T00:00:00.000Z', '2024-01-01T10:60:00.000Z', '2024-01-01T10:00:00.00xZ', '2023-02-29', '2024-01-01T24:00:00Z', '2024-01-01T10:00:00', 'May 1, 2024', '2024-13-01', '1714557600.5',
  ])('refuses the timestamp %s instead of guessing', (ts) => {
    const problems = validator.validate({ ...good, ts }, 3).problems;
    expect(problems).toEqual([{ row: 3, field: 'ts', reason: expect.stringContaining('ISO-8601 timestamp with a zone') }]);
  });

  it('reads any instant written by toISOString (with or without milliseconds) back to the same instant', () => {
    const v = new RowValidator(schema);
    fc.assert(fc.property(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString();
      expect(v.validate({ ...good, ts: iso }, 1).row!.ts).toBe(iso);
      expect(v.timeMs).toBe(d.getTime());
      const seconds = `${iso.slice(0, 19)}Z`;
      expect(v.validate({ ...good, ts: seconds }, 1).row!.ts).toBe(`${iso.slice(0, 19)}.000Z`);
    }));
  });

  it('reports every bad field of a row, not only the first', () => {
    const problems = validator.validate({ location: 'x', ts: 'yesterday', qty: 'lots' }, 2).problems!;
    expect(problems.map((p) => p.field)).toEqual(['sku', 'ts', 'qty']);
  });

  it('never echoes the value of a personal field in a reason', () => {
    const strict = new RowValidator({ ...schema, fields: schema.fields.map((f) => (f.name === 'email' ? { ...f, allowed: ['x'] } : f)) });
    const problems = strict.validate({ ...good, email: 'jane@example.com' }, 1).problems!;
    expect(problems[0]!.reason).not.toContain('jane');
  });

  it('does not read fields named like Object.prototype members from the prototype', () => {
    const odd = new RowValidator({ ...schema, fields: [...schema.fields, { name: 'constructor', type: 'string', required: true }] });
    expect(odd.validate(good, 1).problems).toEqual([{ row: 1, field: 'constructor', reason: 'is required' }]);
  });

  it('keeps unique keys unambiguous when values contain the separator', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
      fc.pre(a !== '' && b !== '' && c !== '' && d !== '' && (a !== c || b !== d));
      const keyOf = (sku: string, location: string) => {
        const typed: TypedValue[] = [sku, location, '2024-05-01T10:00:00.000Z', 1, null, null, null, null];
        return validator.uniqueKey(typed);
      };
      expect(keyOf(a, b)).not.toBe(keyOf(c, d));
    }));
  });

  it('types any finite number in range the same whether it arrives as JSON or as CSV text', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (qty) => {
      const fromJson = validator.validate({ ...good, qty }, 1).row!.value;
      const fromCsv = validator.validate({ ...good, qty: String(qty) }, 1).row!.value;
      expect(fromCsv).toBe(fromJson);
    }));
  });

  it('refuses a schema whose time field is not a timestamp', () => {
    expect(() => new RowValidator({ ...schema, timeField: 'sku' })).toThrow('timeField "sku" must be a timestamp field');
    expect(() => new RowValidator({ ...schema, valueField: 'missing' })).toThrow('valueField names "missing"');
  });
});
