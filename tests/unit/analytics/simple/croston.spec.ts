// Croston and SBA on intermittent demand.
import fc from 'fast-check';
import { croston, sba } from '../../../../libs/analytics/src/forecast/simple/croston';
import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';

/** `size` every `every` periods, the first demand at index every-1, so each interval is `every`. */
function regularIntermittent(size: number, every: number, cycles: number): number[] {
  return Array.from({ length: every * cycles }, (_, t) => ((t + 1) % every === 0 ? size : 0));
}

const irregularDemand = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 50 })), { minLength: 4, maxLength: 60 })
  .filter((xs) => xs.filter((x) => x > 0).length >= 2);

describe('croston', () => {
  it('forecasts the mean demand rate on a constant intermittent pattern', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 10 }), (size, every, cycles) => {
        const forecast = croston(regularIntermittent(size, every, cycles), {}).forecast(4);
        forecast.forEach((f) => expect(f).toBeCloseTo(size / every, 9));
      }),
    );
  });

  it('forecasts a constant non-zero series as that constant', () => {
    croston(Array(12).fill(9), {}).forecast(3).forEach((f) => expect(f).toBeCloseTo(9, 9));
  });

  it('keeps alpha in [0.05, 0.5] and fitted NaN until the first demand', () => {
    const model = croston([0, 0, 3, 0, 5, 0, 0, 2], {});
    expect(model.params.alpha).toBeGreaterThanOrEqual(0.05);
    expect(model.params.alpha).toBeLessThanOrEqual(0.5);
    expect(model.fitted.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(model.fitted.slice(3).every(Number.isFinite)).toBe(true);
  });

  it('refuses fewer than two non-zero demands', () => {
    expect(() => croston([0, 0, 4, 0], {})).toThrow(MethodNotApplicable);
    expect(() => croston([0, 0, 0], {})).toThrow(MethodNotApplicable);
  });

  it('refuses negative demand', () => {
    expect(() => croston([3, -1, 2, 4], {})).toThrow(MethodNotApplicable);
    expect(() => sba([3, -1, 2, 4], {})).toThrow(MethodNotApplicable);
  });
});

describe('sba', () => {
  it('forecasts strictly below Croston by exactly the factor 1 - alpha/2', () => {
    fc.assert(
      fc.property(irregularDemand, (series) => {
        const plain = croston(series, {});
        const corrected = sba(series, {});
        const [c] = plain.forecast(1);
        const [s] = corrected.forecast(1);
        expect(s).toBeLessThan(c);
        expect(s).toBeCloseTo(c * (1 - corrected.params.alpha / 2), 9);
      }),
    );
  });

  // SBA's correction is deliberate downward shrinkage, so a constant is not reproduced exactly.
  it('forecasts a constant series as that constant shrunk by 1 - alpha/2', () => {
    const model = sba(Array(12).fill(9), {});
    expect(model.forecast(1)[0]).toBeCloseTo(9 * (1 - model.params.alpha / 2), 9);
  });

  it('refuses fewer than two non-zero demands', () => {
    expect(() => sba([0, 5, 0], {})).toThrow(MethodNotApplicable);
  });
});
