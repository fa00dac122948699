/** Query parameters read as the document declares them: integers from plain digits, date-times as UTC instants. */
import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { IsInt, validateSync } from 'class-validator';
import { IsInstant, ToInt } from '../../../apps/api/src/common/params';

class Query {
  @ToInt() @IsInt() n?: number;
  @IsInstant() at?: string;
}

const read = (raw: Record<string, unknown>) => {
  const q = plainToInstance(Query, raw);
  return { q, errors: validateSync(q, { skipMissingProperties: true }).map((e) => e.property) };
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An RFC 3339 spelling of `ms` as seen from a zone `offsetMin` minutes east of UTC. */
function spell(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:` +
    `${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

describe('query parameter reading', () => {
  it('reads every safe integer written in plain digits as that number', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
      const { q, errors } = read({ n: String(n) });
      expect(errors).toEqual([]);
      expect(q.n).toBe(n);
    }));
  });

  it('refuses, by name, integers spelled any other way', () => {
    for (const raw of ['', ' 5', '5 ', '1e3', '0x10', '1.5', '+5', 'NaN', ['1', '2']]) expect([raw, read({ n: raw }).errors]).toEqual([raw, ['n']]);
  });

  it('reads any date-time from year 1 to 9999, at any offset up to ±23:59, as the same instant in UTC', () => {
    const year1 = Date.parse('0001-01-02T00:00:00Z');
    const year9999 = Date.parse('9999-12-30T23:59:59Z');
    fc.assert(fc.property(fc.integer({ min: year1, max: year9999 }), fc.integer({ min: -(24 * 60 - 1), max: 24 * 60 - 1 }), (ms, offset) => {
      const { q, errors } = read({ at: spell(ms, offset) });
      expect(errors).toEqual([]);
      expect(q.at).toBe(new Date(ms).toISOString());
    }));
  });

  it('refuses, by name, what is not an RFC 3339 date-time Postgres can store', () => {
    for (const raw of ['yesterday', '2025-05-01', '2025-W18-4', '2025-13-01T00:00:00Z', '0000-06-01T00:00:00Z', '2025-05-01T00:00:00', '+012025-05-01T00:00:00Z']) {
      expect([raw, read({ at: raw }).errors]).toEqual([raw, ['at']]);
    }
  });
});
