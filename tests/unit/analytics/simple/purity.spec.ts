// Every simple method is pure: same input, same output, whatever was called before, and the
// caller's array is left untouched.
import fc from 'fast-check';
import { croston, sba } from '../../../../libs/analytics/src/forecast/simple/croston';
import { naive, seasonalNaive } from '../../../../libs/analytics/src/forecast/simple/naive';
import { detectSeasonPeriod } from '../../../../libs/analytics/src/forecast/simple/seasonality';
import { theta } from '../../../../libs/analytics/src/forecast/simple/theta';
import { FittedModel } from '../../../../libs/analytics/src/forecast/types';

type Run = (xs: readonly number[]) => unknown;
const snapshot = (m: FittedModel): unknown => ({ ...m, forecast: m.forecast(8) });
const runs: Run[] = [
  (xs) => snapshot(naive(xs, {})),
  (xs) => snapshot(seasonalNaive(xs, { seasonPeriod: 4 })),
  (xs) => snapshot(theta(xs, { seasonPeriod: 4 })),
  (xs) => snapshot(croston(xs, {})),
  (xs) => snapshot(sba(xs, {})),
  (xs) => detectSeasonPeriod(xs),
];

const demandLike = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })), { minLength: 8, maxLength: 40 })
  .filter((xs) => xs.filter((x) => x > 0).length >= 2);

describe('simple forecasting methods', () => {
  it('give the same result regardless of calling order and leave their input unchanged', () => {
    fc.assert(
      fc.property(demandLike, demandLike, fc.shuffledSubarray(runs.map((_, i) => i), { minLength: runs.length }), (a, b, order) => {
        const frozenA = Object.freeze([...a]);
        const baseline = runs.map((run) => run(frozenA));
        order.forEach((i) => runs[i](b));
        const again = order.map((i) => runs[i](frozenA));
        order.forEach((i, k) => expect(again[k]).toEqual(baseline[i]));
        expect(frozenA).toEqual(a);
      }),
      { numRuns: 30 },
    );
  });
});
