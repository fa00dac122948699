// Intent keys, the idempotency key derived from them, time windows, and who may send an intent.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { effectClaim, intentIdempotencyKey, intentKey, timeWindow } from '@opsloop/domain';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const part = fc.string({ minLength: 0, maxLength: 12 });
const parts = fc.array(part, { minLength: 1, maxLength: 4 });

describe('intent keys', () => {
  it('reads as the loop id and the parts, in order', () => {
    expect(intentKey('loop-1', ['order', 'SKU-001', 'store-1', '2025-05-01'])).toBe('loop-1:order:SKU-001:store-1:2025-05-01');
  });

  it('gives the same key for the same parts, and different keys for any different parts (":" inside a part cannot collide)', () => {
    expect(intentKey('l', ['a:b', 'c'])).not.toBe(intentKey('l', ['a', 'b:c']));
    fc.assert(fc.property(part, parts, part, parts, (loopA, a, loopB, b) => {
      const same = loopA === loopB && a.length === b.length && a.every((p, i) => p === b[i]);
      expect(intentKey(loopA, a) === intentKey(loopB, b)).toBe(same);
    }));
  });

  it('refuses an intent without parts', () => {
    expect(() => intentKey('l', [])).toThrow(/at least one part/);
  });

  it('derives a header-safe idempotency key: opsloop-intent- and the SHA-256 hex of the intent key', () => {
    expect(intentIdempotencyKey('loop-1:order:SKU-001:store-1:2025-05-01', sha256Hex))
      .toBe(`opsloop-intent-${sha256Hex('loop-1:order:SKU-001:store-1:2025-05-01')}`);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      const key = intentIdempotencyKey(text, sha256Hex);
      expect(key).toMatch(/^opsloop-intent-[0-9a-f]{64}$/);
      expect(intentIdempotencyKey(text, sha256Hex)).toBe(key);
    }));
  });
});

describe('time windows', () => {
  it('names the UTC-aligned window an instant falls in as an ISO interval', () => {
    expect(timeWindow('2025-05-01T10:59:59.999Z', 3600)).toBe('2025-05-01T10:00:00Z/2025-05-01T11:00:00Z');
    expect(timeWindow('2025-05-01T11:00:00Z', 3600)).toBe('2025-05-01T11:00:00Z/2025-05-01T12:00:00Z');
    expect(timeWindow('2025-05-01T12:00:00+02:00', 86_400)).toBe('2025-05-01T00:00:00Z/2025-05-02T00:00:00Z');
  });

  it('puts every instant inside its window, and two instants in one window exactly when they share its start', () => {
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });
    fc.assert(fc.property(instant, instant, fc.integer({ min: 1, max: 30 * 86_400 }), (a, b, seconds) => {
      const [start, end] = timeWindow(a, seconds).split('/').map((t) => Date.parse(t)) as [number, number];
      expect(start).toBeLessThanOrEqual(a);
      expect(a).toBeLessThan(end);
      expect(end - start).toBe(seconds * 1000);
      const sameBucket = Math.floor(a / (seconds * 1000)) === Math.floor(b / (seconds * 1000));
      expect(timeWindow(a, seconds) === timeWindow(b, seconds)).toBe(sameBucket);
    }));
  });

  it('refuses a window that is not a whole number of seconds, and a time that is not one', () => {
    expect(() => timeWindow('2025-05-01T10:00:00Z', 0)).toThrow(/whole number of seconds/);
    expect(() => timeWindow('2025-05-01T10:00:00Z', 1.5)).toThrow(/whole number of seconds/);
    expect(() => timeWindow('yesterday', 60)).toThrow(/not an instant/);
  });
});

describe('who may send an intent', () => {
  it('lets the holding decision send until the receiver confirmed it, then never again', () => {
    expect(effectClaim({ decisionId: 'a', status: 'sending' }, 'a')).toBe('send');
    expect(effectClaim({ decisionId: 'a', status: 'failed' }, 'a')).toBe('send');
    expect(effectClaim({ decisionId: 'a', status: 'confirmed' }, 'a')).toBe('confirmed');
  });

  it('makes another decision a duplicate while the intent is delivered or being delivered, and lets it take over a failed one', () => {
    expect(effectClaim({ decisionId: 'a', status: 'confirmed' }, 'b')).toBe('duplicate');
    expect(effectClaim({ decisionId: 'a', status: 'sending' }, 'b')).toBe('duplicate');
    expect(effectClaim({ decisionId: 'a', status: 'failed' }, 'b')).toBe('take-over');
  });
});
