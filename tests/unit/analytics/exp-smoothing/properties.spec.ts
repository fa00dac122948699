// Properties every exponential-smoothing method must hold, whatever the series.
import fc from 'fast-check';
import { FitOptions, ForecastMethod } from '../../../../libs/analytics/src/forecast/types';
import { ses } from '../../../../libs/analytics/src/forecast/exp-smoothing/ses';
import { holt, holtDamped } from '../../../../libs/analytics/src/forecast/exp-smoothing/holt';
import {
  holtWintersAdditive,
  holtWintersAdditiveDamped,
  holtWintersMultiplicative,
  holtWintersMultiplicativeDamped,
} from '../../../../libs/analytics/src/forecast/exp-smoothing/holt-winters';
import { expectWithin } from './helpers';

const methods: [string, ForecastMethod, FitOptions][] = [
  ['ses', ses, {}],
  ['holt', holt, {}],
  ['holt-damped', holtDamped, {}],
  ['holt-winters-additive', holtWintersAdditive, { seasonPeriod: 4 }],
  ['holt-winters-multiplicative', holtWintersMultiplicative, { seasonPeriod: 4 }],
  ['holt-winters-additive-damped', holtWintersAdditiveDamped, { seasonPeriod: 4 }],
  ['holt-winters-multiplicative-damped', holtWintersMultiplicativeDamped, { seasonPeriod: 4 }],
];

const positiveSeries = fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 8, maxLength: 60 });

describe.each(methods)('%s', (name, method, options) => {
  it('forecasts a constant series as that constant (within 1e-6 relative)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.integer({ min: 8, max: 60 }), (c, n) => {
        const f = method(new Array<number>(n).fill(c), options).forecast(10);
        for (const v of f) expect(Math.abs(v - c) / c).toBeLessThan(1e-6);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps fitted smoothing weights within their bounds', () => {
    fc.assert(
      fc.property(positiveSeries, (y) => {
        const { params } = method(y, options);
        for (const key of ['alpha', 'beta', 'gamma'] as const) {
          if (key in params) expectWithin(params[key], 1e-4, 0.9999);
        }
        if (name.endsWith('-damped')) expectWithin(params.phi, 0.8, 0.98);
      }),
      { numRuns: 25 },
    );
  });

  it('returns one fitted value per input and one forecast per step, all finite', () => {
    fc.assert(
      fc.property(positiveSeries, fc.integer({ min: 0, max: 24 }), (y, h) => {
        const model = method(y, options);
        expect(model.method).toBe(name);
        expect(model.fitted).toHaveLength(y.length);
        const f = model.forecast(h);
        expect(f).toHaveLength(h);
        expect([...model.fitted, ...f].every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('gives the same model for the same series', () => {
    const y = Array.from({ length: 30 }, (_, t) => 50 + 10 * Math.sin(t) + t);
    const a = method(y, options);
    const b = method(y, options);
    expect(a.params).toEqual(b.params);
    expect(a.forecast(6)).toEqual(b.forecast(6));
  });
});
