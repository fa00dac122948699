import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';
import { ses } from '../../../../libs/analytics/src/forecast/exp-smoothing/ses';
import { expectRelativelyClose, noise, range } from './helpers';

describe('simple exponential smoothing', () => {
  it('forecasts a constant series as that constant', () => {
    const model = ses(new Array<number>(30).fill(42.5), {});
    expect(model.method).toBe('ses');
    expectRelativelyClose(model.forecast(5), new Array<number>(5).fill(42.5), 1e-6);
    expectRelativelyClose(model.fitted, new Array<number>(30).fill(42.5), 1e-6);
  });

  it('gives flat forecasts equal to the last smoothed level', () => {
    const model = ses(noise(50).map((e) => 100 + 5 * e), {});
    const f = model.forecast(4);
    expect(new Set(f).size).toBe(1);
  });

  it('picks a high alpha for a random walk and a low alpha for noise around a constant', () => {
    let w = 0;
    const walk = noise(200, 7).map((e) => (w += e));
    const flat = noise(200, 7).map((e) => 10 + e);
    expect(ses(walk, {}).params.alpha).toBeGreaterThan(0.7);
    expect(ses(flat, {}).params.alpha).toBeLessThan(0.2);
  });

  it('fits alpha better than a fixed guess: SSE no worse than alpha = 0.5 from the first value', () => {
    const y = range(80).map((t) => 20 + Math.sin(t / 9) * 4 + noise(80, 3)[t]);
    const model = ses(y, {});
    const sse = (f: readonly number[]) => f.reduce((s, v, t) => s + (y[t] - v) ** 2, 0);
    let level = y[0];
    const guess = y.map((v) => { const f = level; level += 0.5 * (v - level); return f; });
    expect(sse(model.fitted)).toBeLessThanOrEqual(sse(guess));
  });

  it('returns an empty forecast for horizon 0 and rejects a negative horizon', () => {
    const model = ses([1, 2, 3], {});
    expect(model.forecast(0)).toEqual([]);
    expect(() => model.forecast(-1)).toThrow(RangeError);
  });

  it('is not applicable to a series shorter than two values or with non-finite values', () => {
    expect(() => ses([5], {})).toThrow(MethodNotApplicable);
    expect(() => ses([1, NaN, 3], {})).toThrow(MethodNotApplicable);
  });
});
