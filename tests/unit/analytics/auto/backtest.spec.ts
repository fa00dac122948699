// The rolling-origin backtest is honestly out of sample, and every method's replay is causal.
import fc from 'fast-check';
import { horizonErrors, maseScale, meanAbsoluteError, planBacktest, runTrial } from '../../../../libs/analytics/src/forecast/auto/backtest';
import { SPECS } from '../../../../libs/analytics/src/forecast/auto/registry';
import { autoCandidates, isIntermittent } from '../../../../libs/analytics/src/forecast/auto/candidates';
import { forecastEnd } from '../../../../libs/analytics/src/forecast/model';
import { gaussianNoise } from '../simple/helpers';

const demand = (seed: number, n: number) => gaussianNoise(seed, n).map((e, t) => Math.max(0, Math.round(20 + 0.2 * t + 8 * Math.sin(t / 2) + 4 * e)));
const methods = Object.keys(SPECS) as (keyof typeof SPECS)[];

describe('planBacktest', () => {
  it('scores six origins with the full horizon when the series allows', () => {
    expect(planBacktest(100, 12, 1)).toEqual({ first: 83, h: 12 });
  });

  it('keeps two seasons before the first origin for seasonal methods when it can', () => {
    expect(planBacktest(30, 18, 12)).toEqual({ first: 24, h: 18 });
    expect(planBacktest(25, 18, 12)).toEqual({ first: 4, h: 18 });
  });

  it('has no backtest for a series of four values or fewer', () => {
    expect(planBacktest(4, 3, 1)).toBeNull();
    expect(planBacktest(5, 3, 1)).toEqual({ first: 4, h: 3 });
  });

  it('caps the backtest horizon for very long requests', () => {
    expect(planBacktest(1000, 500, 1)?.h).toBe(60);
  });
});

describe('backtest trials', () => {
  it.each(methods)('%s: a forecast from origin o does not change when values from o on change', (method) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 30, max: 60 }), fc.integer({ min: 1, max: 8 }), (seed, n, h) => {
        const y = Float64Array.from(demand(seed, n));
        const plan = planBacktest(n, h, 4)!;
        let base;
        try {
          base = runTrial(SPECS[method], y, 4, plan);
        } catch {
          return; // not applicable to this series (e.g. a zero for a multiplicative model)
        }
        const o = plan.first + Math.floor((n - plan.first) / 2);
        const changed = y.slice();
        for (let t = o; t < n; t++) changed[t] += 1000 * (t % 2 === 0 ? 1 : -1);
        const other = runTrial(SPECS[method], changed, 4, plan);
        for (let i = 0; i < (o - plan.first + 1) * h; i++) expect(other.matrix[i]).toBe(base.matrix[i]);
      }),
      { numRuns: 10 },
    );
  });

  it.each(methods)('%s: the replay from an origin equals the forecast of the same fit on the series cut there', (method) => {
    const y = Float64Array.from(demand(7, 48));
    const plan = planBacktest(48, 6, 4)!;
    const trial = runTrial(SPECS[method], y, 4, plan);
    for (const o of [plan.first, 45, 48]) {
      const row = Array.from(trial.matrix.subarray((o - plan.first) * 6, (o - plan.first + 1) * 6));
      expect(row).toEqual(Array.from(forecastEnd(trial.fit, y.subarray(0, o), 6)));
    }
  });

  it('scores a perfect forecaster at zero and a naive one at its mean absolute change', () => {
    const y = Float64Array.from({ length: 40 }, (_, t) => 3 * t);
    const plan = planBacktest(40, 5, 1)!;
    expect(meanAbsoluteError(horizonErrors(y, plan, runTrial(SPECS.holt, y, 1, plan).matrix))).toBeLessThan(1e-9);
    // Naive k steps ahead on a slope-3 line misses by 3k; the mean over k = 1..5 is 9.
    expect(meanAbsoluteError(horizonErrors(y, plan, runTrial(SPECS.naive, y, 1, plan).matrix))).toBeCloseTo(9, 9);
    expect(maseScale(y, 1)).toBe(3);
  });
});

describe('auto candidates', () => {
  it('adds Croston and SBA only for intermittent non-negative demand', () => {
    const intermittent = Float64Array.from([0, 0, 3, 0, 0, 0, 5, 0, 2, 0, 0, 4]);
    expect(isIntermittent(intermittent)).toBe(true);
    expect(autoCandidates(intermittent, 1)).toEqual(expect.arrayContaining(['croston', 'sba']));
    expect(isIntermittent(Float64Array.from([0, 0, -3, 0, 5, 0, 2]))).toBe(false);
    expect(autoCandidates(Float64Array.from([4, 5, 6, 5, 4]), 1)).not.toContain('croston');
  });

  it('adds the seasonal models only with a season, and the multiplicative one only for positive data', () => {
    expect(autoCandidates(Float64Array.from([1, 2, 3]), 1)).not.toContain('seasonal-naive');
    expect(autoCandidates(Float64Array.from([1, 2, 3]), 2)).toEqual(expect.arrayContaining(['seasonal-naive', 'holt-winters-additive-damped', 'holt-winters-multiplicative-damped']));
    expect(autoCandidates(Float64Array.from([1, 0, 3]), 2)).not.toContain('holt-winters-multiplicative-damped');
  });
});
