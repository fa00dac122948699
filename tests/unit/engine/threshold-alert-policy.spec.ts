import fc from 'fast-check';
import { formatQuantity } from '@opsloop/domain';
import { BoundTuning, decideAlerts, Direction, proposeBound, Reading, scoreAlert, ThresholdRule } from '@opsloop/policies';

const above = (bound: number): ThresholdRule => ({ bound, direction: 'above' });
const below = (bound: number): ThresholdRule => ({ bound, direction: 'below' });

const finite = (min = -1e6, max = 1e6) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

describe('threshold-alert decisions', () => {
  it('notifies for a reading past an upper bound, by how far it went past', () => {
    const [d] = decideAlerts([{ series: 'cpu', value: 95 }], above(80));
    expect(d).toEqual({
      subject: 'cpu',
      decision: 'notify',
      magnitude: 15,
      explanation: 'Notify: cpu reads 95, above the bound 80 by 15.',
      action: { series: 'cpu', value: 95, bound: 80, direction: 'above' },
    });
  });

  it('notifies for a reading past a lower bound, with a positive magnitude', () => {
    const [d] = decideAlerts([{ series: 'free-disk', value: 4 }], below(10));
    expect(d).toMatchObject({ decision: 'notify', magnitude: 6, action: { value: 4, bound: 10, direction: 'below' } });
    expect(d!.explanation).toBe('Notify: free-disk reads 4, below the bound 10 by 6.');
  });

  it('holds, with no action and magnitude 0, for a reading on the normal side or exactly at the bound', () => {
    const decisions = decideAlerts([{ series: 'cpu', value: 50 }, { series: 'mem', value: 80 }], above(80));
    expect(decisions.map((d) => [d.decision, d.magnitude, d.action])).toEqual([['hold', 0, null], ['hold', 0, null]]);
    expect(decisions[0]!.explanation).toBe('No alert: cpu reads 50, not above the bound 80.');
    expect(decideAlerts([{ series: 'x', value: 10 }], below(10))[0]!.decision).toBe('hold');
  });

  it('stores the distance without float noise (0.3 past 0.1 is 0.2) and prints it that way', () => {
    const [d] = decideAlerts([{ series: 'lat', value: 0.3 }], above(0.1));
    expect(0.3 - 0.1).not.toBe(0.2);
    expect(d!.magnitude).toBe(0.2);
    expect(d!.explanation).toBe('Notify: lat reads 0.3, above the bound 0.1 by 0.2.');
    const [big] = decideAlerts([{ series: 'p95', value: 204.7 }], above(100));
    expect(big!.magnitude).toBe(104.7);
  });

  it('returns nothing for no readings', () => {
    expect(decideAlerts([], above(1))).toEqual([]);
  });

  it('makes one decision per reading, in order, naming its value and the bound', () => {
    const reading = fc.record({ series: fc.string({ minLength: 1, maxLength: 12 }), value: finite() });
    const direction = fc.constantFrom<Direction>('above', 'below');
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 20 }), finite(), direction, (readings: Reading[], bound, dir) => {
        const decisions = decideAlerts(readings, { bound, direction: dir });
        expect(decisions.map((d) => d.subject)).toEqual(readings.map((r) => r.series));
        decisions.forEach((d, i) => {
          const r = readings[i]!;
          const past = dir === 'above' ? r.value > bound : r.value < bound;
          expect(d.decision).toBe(past ? 'notify' : 'hold');
          // Tidied to 12 significant digits: off by at most a relative 5e-12 from the exact distance.
          if (past) expect(Math.abs(d.magnitude - Math.abs(r.value - bound))).toBeLessThanOrEqual(5e-12 * Math.abs(r.value - bound));
          else expect(d.magnitude).toBe(0);
          expect(d.action === null).toBe(!past);
          expect(d.explanation.startsWith(past ? 'Notify: ' : 'No alert: ')).toBe(true);
          expect(d.explanation).toContain(`${r.series} reads ${formatQuantity(r.value)}, `);
          expect(d.explanation).toContain(`the bound ${formatQuantity(bound)}`);
        });
      }),
    );
  });
});

describe('threshold-alert outcome score', () => {
  it('scores an alert 1 when the crossing persisted', () => {
    expect(scoreAlert(80, 'above', 90)).toEqual({ outcome: { laterValue: 90, persisted: true }, score: 1 });
    expect(scoreAlert(10, 'below', 2)).toEqual({ outcome: { laterValue: 2, persisted: true }, score: 1 });
  });

  it('scores an alert 0 when the series went back to normal (or sits on the bound)', () => {
    expect(scoreAlert(80, 'above', 60)).toEqual({ outcome: { laterValue: 60, persisted: false }, score: 0 });
    expect(scoreAlert(80, 'above', 80)).toMatchObject({ score: 0 });
    expect(scoreAlert(10, 'below', 12)).toMatchObject({ score: 0 });
  });

  it('gives no score when the later value is unknown', () => {
    expect(scoreAlert(80, 'above', null)).toEqual({ outcome: { laterValue: null, persisted: null }, score: null });
  });
});

describe('threshold-alert bound tuning', () => {
  const tuning = (change: Partial<BoundTuning> = {}): BoundTuning => ({ minBound: 0, maxBound: 100, step: 5, targetPrecision: 0.8, window: 4, ...change });

  it('proposes nothing until `window` alerts have been scored', () => {
    expect(proposeBound(above(50), tuning(), [0, 0, 0])).toBeNull();
    expect(proposeBound(above(50), tuning(), [])).toBeNull();
  });

  it('proposes nothing while precision meets the target, including exactly at it', () => {
    expect(proposeBound(above(50), tuning(), [1, 1, 1, 1])).toBeNull();
    expect(proposeBound(above(50), tuning({ targetPrecision: 0.75 }), [1, 1, 1, 0])).toBeNull();
  });

  it('judges only the last `window` scores', () => {
    expect(proposeBound(above(50), tuning(), [0, 0, 0, 0, 1, 1, 1, 1])).toBeNull();
    expect(proposeBound(above(50), tuning(), [1, 1, 1, 1, 0, 0, 0, 0])).not.toBeNull();
  });

  it('raises an upper bound one step when too many alerts were transient, and says why', () => {
    expect(proposeBound(above(50), tuning(), [1, 0, 1, 0])).toEqual({
      from: 50,
      to: 55,
      reason: 'precision 0.5 over the last 4 alerts is below the target 0.8: bound 50 → 55 (allowed 0..100)',
    });
  });

  it('lowers a lower bound one step when too many alerts were transient', () => {
    expect(proposeBound(below(20), tuning(), [0, 0, 0, 1])).toMatchObject({ from: 20, to: 15 });
  });

  it('stops at the allowed limit instead of overshooting it', () => {
    expect(proposeBound(above(98), tuning(), [0, 0, 0, 0])).toMatchObject({ from: 98, to: 100 });
    expect(proposeBound(below(3), tuning(), [0, 0, 0, 0])).toMatchObject({ from: 3, to: 0 });
  });

  it('proposes nothing when the bound is already at the limit it would move towards', () => {
    expect(proposeBound(above(100), tuning(), [0, 0, 0, 0])).toBeNull();
    expect(proposeBound(below(0), tuning(), [0, 0, 0, 0])).toBeNull();
  });

  it('never proposes a bound outside [minBound, maxBound], and only ever moves one step away from normal (or to the limit)', () => {
    const input = fc
      .tuple(finite(), finite(), finite(0, 1), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 20 }), finite(0, 1))
      .map(([a, b, at, step, window, targetPrecision]) => {
        const [minBound, maxBound] = a <= b ? [a, b] : [b, a];
        const bound = Math.min(maxBound, minBound + at * (maxBound - minBound));
        return { bound, t: { minBound, maxBound, step, window, targetPrecision } };
      });
    const scores = fc.array(fc.constantFrom(0, 1), { maxLength: 30 });
    fc.assert(
      fc.property(input, fc.constantFrom<Direction>('above', 'below'), scores, ({ bound, t }, direction, recent) => {
        const proposal = proposeBound({ bound, direction }, t, recent);
        if (proposal === null) return;
        expect(proposal.from).toBe(bound);
        expect(proposal.to).toBeGreaterThanOrEqual(t.minBound);
        expect(proposal.to).toBeLessThanOrEqual(t.maxBound);
        if (direction === 'above') {
          expect(proposal.to).toBeGreaterThan(bound);
          expect([bound + t.step, t.maxBound]).toContain(proposal.to);
        } else {
          expect(proposal.to).toBeLessThan(bound);
          expect([bound - t.step, t.minBound]).toContain(proposal.to);
        }
      }),
    );
  });
});
