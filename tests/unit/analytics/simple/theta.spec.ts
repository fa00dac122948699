// Theta: SES with half-slope drift, optionally around a multiplicative deseasonalisation.
import fc from 'fast-check';
import { theta } from '../../../../libs/analytics/src/forecast/simple/theta';
import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';
import { gaussianNoise } from './helpers';

describe('theta', () => {
  it('forecasts a constant series as that constant, with or without a season', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1e5, noNaN: true }), fc.integer({ min: 3, max: 60 }), (c, n) => {
        for (const seasonPeriod of [undefined, 4]) {
          const forecast = theta(Array(n).fill(c), { seasonPeriod }).forecast(6);
          forecast.forEach((f) => expect(f).toBeCloseTo(c, 6));
        }
      }),
    );
  });

  // Theta extrapolates only half the slope, so "within 5%" holds while the trend is gentle
  // relative to the level, which is the regime these bounds describe.
  it('follows a gentle linear trend within 5% at horizons 1 to 5', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 200, max: 1000, noNaN: true }),
        fc.double({ min: -0.5, max: 1, noNaN: true }),
        fc.integer({ min: 20, max: 100 }),
        (intercept, slope, n) => {
          const line = (t: number): number => intercept + slope * t;
          const series = Array.from({ length: n }, (_, t) => line(t));
          theta(series, {}).forecast(5).forEach((f, i) => {
            const actual = line(n + i);
            expect(Math.abs(f - actual)).toBeLessThanOrEqual(0.05 * Math.abs(actual));
          });
        },
      ),
    );
  });

  it('reseasonalises its forecast so a seasonal trend keeps its shape', () => {
    const shape = [0.8, 1.0, 1.3, 0.9];
    const series = Array.from({ length: 48 }, (_, t) => (100 + t) * shape[t % 4]);
    const forecast = theta(series, { seasonPeriod: 4 }).forecast(4);
    forecast.forEach((f, i) => expect(Math.abs(f / ((148 + i) * shape[i]) - 1)).toBeLessThan(0.05));
  });

  it('deseasonalises additively when the series has non-positive values', () => {
    const shape = [-1, 0, 1, 2];
    const series = Array.from({ length: 24 }, (_, t) => shape[t % 4]);
    const model = theta(series, { seasonPeriod: 4 });
    expect(model.params.seasonPeriod).toBe(4);
    model.forecast(4).forEach((f, i) => expect(f).toBeCloseTo(shape[i], 6));
  });

  it('leaves a series without a significant season unadjusted', () => {
    const series = gaussianNoise(3, 48).map((e) => 100 + e);
    expect(theta(series, { seasonPeriod: 12 }).params.seasonPeriod).toBe(1);
  });

  it('keeps alpha in (0, 1] and returns one finite fitted value per input', () => {
    const series = gaussianNoise(7, 40).map((e) => 50 + 5 * e);
    const model = theta(series, {});
    expect(model.params.alpha).toBeGreaterThan(0);
    expect(model.params.alpha).toBeLessThanOrEqual(1);
    expect(model.fitted).toHaveLength(40);
    model.fitted.forEach((f) => expect(Number.isFinite(f)).toBe(true));
  });

  it('refuses fewer than 3 values', () => {
    expect(() => theta([1, 2], {})).toThrow(MethodNotApplicable);
  });
});
