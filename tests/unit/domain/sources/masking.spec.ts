import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { FieldSpec, maskValue, PersonalMasker, TypedValue } from '@opsloop/domain';

const key = Buffer.alloc(32, 7);
const hmac = (value: string) => createHmac('sha256', key).update(value).digest('hex');

const fields: FieldSpec[] = [
  { name: 'ticket', type: 'string', required: true },
  { name: 'email', type: 'string', required: false, personal: 'hash' },
  { name: 'phone', type: 'string', required: false, personal: 'mask' },
];

describe('maskValue', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskValue('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskValue('@example.com')).toBe('***@example.com');
  });

  it('keeps at most the last four characters of anything else, hiding the rest', () => {
    expect(maskValue('+1 555 010 1234')).toBe('***********1234');
    expect(maskValue('Bob')).toBe('**b');
    expect(maskValue('')).toBe('');
  });

  it('never reveals more than a third of a value and keeps its length', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => !s.includes('@')), (value) => {
      const masked = maskValue(value);
      expect(masked).toHaveLength(value.length);
      const shown = masked.replace(/^\*+/, '');
      expect(shown.length).toBeLessThanOrEqual(Math.min(4, value.length / 3));
      expect(value.endsWith(shown)).toBe(true);
    }));
  });
});

describe('PersonalMasker', () => {
  const masker = new PersonalMasker(fields, hmac);

  it('hashes with the keyed hasher and masks in place, leaving other fields alone', () => {
    const typed: TypedValue[] = ['T-1', 'Jane@Example.com ', '+44 20 7946 0958'];
    masker.maskTyped(typed);
    expect(typed).toEqual(['T-1', hmac('jane@example.com'), '************0958']);
  });

  it('hashes the same address the same way whatever its case or padding, so hashed rows still join', () => {
    const a: TypedValue[] = ['T-1', 'jane@example.com', null];
    const b: TypedValue[] = ['T-2', ' JANE@example.COM', null];
    masker.maskTyped(a);
    masker.maskTyped(b);
    expect(a[1]).toBe(b[1]);
    expect(a[1]).not.toContain('jane');
  });

  it('treats personal fields of a raw row bound for quarantine, whatever their type, without touching the input', () => {
    const raw = { ticket: 'T-9', email: 42, phone: { n: '5550101234' }, note: 'kept' };
    const masked = masker.maskRaw(raw);
    expect(masked).toEqual({ ticket: 'T-9', email: hmac('42'), phone: maskValue('{"n":"5550101234"}'), note: 'kept' });
    expect(raw.email).toBe(42);
    expect(JSON.stringify(masked)).not.toContain('5550101234');
  });

  it('is inactive for a schema without personal fields', () => {
    expect(new PersonalMasker(fields.slice(0, 1), hmac).active).toBe(false);
  });
});
