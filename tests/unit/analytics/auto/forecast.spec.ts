// forecast / forecastBatch: auto selection, named methods with fallback, intervals, batches.
import fc from 'fast-check';
import { FORECAST_METHODS, ForecastInputError } from '../../../../libs/analytics/src/forecast/request';
import { forecast, forecastBatch } from '../../../../libs/analytics/src/forecast/auto/forecast';
import { gaussianNoise } from '../simple/helpers';

const range = (n: number) => Array.from({ length: n }, (_, t) => t);
const noisySeasonal = (seed: number, n: number, m: number) =>
  gaussianNoise(seed, n).map((e, t) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / m) + 3 * e);

describe('forecast: constant series', () => {
  // SBA shrinks by design (1 - alpha/2), so it is the one method that does not return the constant.
  const methods = ['auto', ...FORECAST_METHODS.filter((m) => m !== 'sba')] as const;

  it('forecasts that constant with every method and with auto, with a zero-width band', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.oneof(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -1e-3, noNaN: true })),
        fc.integer({ min: 9, max: 60 }),
        fc.constantFrom(undefined, 1, 4),
        fc.integer({ min: 1, max: 12 }),
        (method, c, n, seasonPeriod, horizon) => {
          const r = forecast({ values: Array(n).fill(c), horizon, seasonPeriod, method });
          const tol = 1e-6 * Math.abs(c);
          for (const series of [r.point, r.lower, r.upper]) {
            expect(series).toHaveLength(horizon);
            series.forEach((v) => expect(Math.abs(v - c)).toBeLessThanOrEqual(tol));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('forecasts a constant demand shrunk below it with sba', () => {
    const r = forecast({ values: Array(20).fill(9), horizon: 3, method: 'sba' });
    r.point.forEach((v) => {
      expect(v).toBeLessThan(9);
      expect(v).toBeGreaterThan(9 * 0.75);
    });
  });
});

describe('forecast: exact structure', () => {
  it('follows a pure linear trend with holt, at every horizon', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 8, max: 80 }), (a, b, n) => {
        const r = forecast({ values: range(n).map((t) => a + b * t), horizon: 10, method: 'holt', seasonPeriod: 1 });
        expect(r.method).toBe('holt');
        r.point.forEach((v, k) => expect(Math.abs(v - (a + b * (n + k)))).toBeLessThan(1e-6 * (Math.abs(a) + Math.abs(b) * (n + k) + 1)));
      }),
      { numRuns: 40 },
    );
  });

  it('reproduces a pure seasonal pattern with both Holt–Winters kinds, and auto finds an exact method', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 3, max: 6 }), (pattern, seasons) => {
        fc.pre(new Set(pattern).size > 1);
        const m = pattern.length;
        const values = range(m * seasons).map((t) => pattern[t % m]);
        const expected = range(2 * m).map((k) => pattern[(m * seasons + k) % m]);
        for (const method of ['holt-winters-additive', 'holt-winters-multiplicative', 'auto'] as const) {
          const r = forecast({ values, horizon: 2 * m, seasonPeriod: m, method });
          r.point.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-6 * expected[k]));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('forecast: auto', () => {
  it('reports the winner, the season it used and its backtest MASE per horizon', () => {
    const r = forecast({ values: noisySeasonal(5, 96, 12), horizon: 12, seasonPeriod: 12 });
    expect(['ses', 'theta', 'combination', 'naive', 'seasonal-naive', 'holt-winters-additive-damped', 'holt-winters-multiplicative-damped']).toContain(r.method);
    expect(r.seasonPeriod).toBe(12);
    expect(r.fallback).toBeNull();
    expect(r.backtest?.mase).toBeGreaterThan(0);
    expect(r.backtest?.mase).toBeLessThan(2);
    expect(r.backtest?.origins).toBeGreaterThanOrEqual(12);
    expect(r.backtest?.errorsByHorizon).toHaveLength(12);
    expect(r.intervals).toEqual({ source: 'backtest', backtestSteps: 12 });
  });

  it('detects the season when it is not given', () => {
    expect(forecast({ values: noisySeasonal(8, 120, 12), horizon: 6 }).seasonPeriod).toBe(12);
    expect(forecast({ values: gaussianNoise(8, 60), horizon: 6 }).seasonPeriod).toBeNull();
  });

  it('prefers the seasonal models on a strongly seasonal series', () => {
    const r = forecast({ values: noisySeasonal(3, 120, 12).map((v, t) => v + 40 * Math.cos((2 * Math.PI * t) / 12)), horizon: 12, seasonPeriod: 12 });
    expect(r.method).not.toBe('naive');
    expect(r.method).not.toBe('ses');
  });

  it('says it could not compare methods on a series too short to backtest', () => {
    const r = forecast({ values: [3, 5, 4], horizon: 2 });
    expect(r.method).toBe('ses');
    expect(r.fallback).toMatch(/too few for a backtest/);
    expect(r.backtest).toBeNull();
    expect(r.intervals.source).toBe('residual-variance');
  });
});

describe('forecast: named methods on series too short for them', () => {
  it.each([
    ['holt-winters-additive', { values: [5, 7, 6, 8, 6], seasonPeriod: 4 }, 'holt-damped', /holt-winters-additive needs at least 8 values, got 5/],
    ['holt-winters-multiplicative', { values: [5, 7, -6, 8, 6, 7, 5, 8, 6], seasonPeriod: 4 }, 'holt-winters-additive', /needs all values > 0/],
    ['holt', { values: [5, 7] }, 'ses', /holt needs at least 4 values, got 2/],
    ['seasonal-naive', { values: [5, 7, 6] }, 'naive', /seasonal-naive needs a seasonPeriod of at least 2/],
    ['croston', { values: [0, 0, 4, 0, 0] }, 'ses', /at least two non-zero demands/],
    ['theta', { values: [5] }, 'naive', /theta needs at least 3 values.*ses needs at least 2 values/],
  ] as const)('falls back from %s to the next simpler method and says why', (method, input, used, why) => {
    const r = forecast({ ...input, horizon: 3, method });
    expect(r.method).toBe(used);
    expect(r.fallback).toMatch(why);
    expect(r.fallback).toContain(`used ${used}`);
    expect(r.point).toHaveLength(3);
  });

  it('reports no fallback when the named method fits', () => {
    expect(forecast({ values: noisySeasonal(1, 48, 4), horizon: 4, seasonPeriod: 4, method: 'holt-winters-additive' })).toMatchObject({ method: 'holt-winters-additive', fallback: null });
  });
});

describe('forecast: prediction intervals', () => {
  const anySeries = fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 5, max: 80 }), fc.constantFrom(1, 4, 12)).map(([seed, n, m]) => ({
    values: noisySeasonal(seed, n, m),
    seasonPeriod: m < n ? m : 1,
  }));

  it('widen (weakly) with the horizon on both sides and contain the point, for auto and every method', () => {
    fc.assert(
      fc.property(anySeries, fc.constantFrom('auto', ...FORECAST_METHODS), fc.integer({ min: 1, max: 24 }), (s, method, horizon) => {
        const r = forecast({ ...s, horizon, method });
        for (let k = 0; k < horizon; k++) {
          expect(r.lower[k]).toBeLessThanOrEqual(r.point[k]);
          expect(r.upper[k]).toBeGreaterThanOrEqual(r.point[k]);
          if (k > 0) {
            expect(r.upper[k] - r.point[k]).toBeGreaterThanOrEqual(r.upper[k - 1] - r.point[k - 1] - 1e-9);
            expect(r.point[k] - r.lower[k]).toBeGreaterThanOrEqual(r.point[k - 1] - r.lower[k - 1] - 1e-9);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('are narrower at level 0.8 than at 0.95', () => {
    const values = noisySeasonal(4, 60, 4);
    const wide = forecast({ values, horizon: 6, level: 0.95 });
    const narrow = forecast({ values, horizon: 6, level: 0.8 });
    narrow.point.forEach((_, k) => expect(narrow.upper[k] - narrow.lower[k]).toBeLessThan(wide.upper[k] - wide.lower[k]));
  });

  it('cover about 95% of future values of noisy series', () => {
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const noise = gaussianNoise(seed, 66);
      let level = 50;
      const values = noise.map((e, t) => (t % 3 === 0 ? (level += 0.3 * e) : level) + e);
      const r = forecast({ values: values.slice(0, 60), horizon: 6 });
      values.slice(60).forEach((v, k) => {
        total++;
        if (v >= r.lower[k] && v <= r.upper[k]) inside++;
      });
    }
    expect(inside / total).toBeGreaterThan(0.85);
    expect(inside / total).toBeLessThan(0.995);
  });

  it('fall back to the residual variance where the backtest has too few errors, and say so', () => {
    expect(forecast({ values: noisySeasonal(2, 7, 1), horizon: 8, seasonPeriod: 1 }).intervals.source).toBe('residual-variance');
    // Nine values leave five one-step errors but fewer at every later step.
    expect(forecast({ values: noisySeasonal(2, 9, 1), horizon: 8, seasonPeriod: 1 }).intervals).toEqual({ source: 'mixed', backtestSteps: 1 });
    const longer = forecast({ values: noisySeasonal(2, 30, 1), horizon: 8, seasonPeriod: 1, method: 'ses' });
    expect(longer.intervals).toEqual({ source: 'backtest', backtestSteps: 8 });
  });
});

describe('forecastBatch', () => {
  const batchItem = fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 3, max: 50 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom('auto', 'ses', 'theta')).map(([seed, n, horizon, method]) => ({
    values: noisySeasonal(seed, n, 4),
    horizon,
    method,
  }));

  it('gives each series the same result whatever the order of the batch', () => {
    fc.assert(
      fc.property(fc.array(batchItem, { minLength: 1, maxLength: 6 }).chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(range(items.length), { minLength: items.length }))), ([items, order]) => {
        const inOrder = forecastBatch(items);
        const shuffled = forecastBatch(order.map((i) => items[i]));
        order.forEach((i, k) => expect(shuffled[k]).toEqual(inOrder[i]));
        items.forEach((item, i) => expect(forecast(item)).toEqual(inOrder[i]));
      }),
      { numRuns: 20 },
    );
  });

  it('names the request and the field of invalid input', () => {
    expect(() => forecastBatch([{ values: [1, 2], horizon: 1 }, { values: [1, Number.POSITIVE_INFINITY], horizon: 1 }])).toThrow(
      new ForecastInputError('[1].values[1]', 'must be a finite number'),
    );
    expect(() => forecast({ values: [1, 2], horizon: -1 })).toThrow('horizon: must be a positive integer');
  });
});
