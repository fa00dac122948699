import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';
import { holt, holtDamped } from '../../../../libs/analytics/src/forecast/exp-smoothing/holt';
import { expectRelativelyClose, expectWithin, noise, range } from './helpers';

const line = (n: number, a: number, b: number) => range(n).map((t) => a + b * t);

describe("Holt's linear trend", () => {
  it('follows a pure linear trend within 1% for horizons 1..10 (undamped)', () => {
    const model = holt(line(40, 50, 3), {});
    expect(model.method).toBe('holt');
    expectRelativelyClose(model.forecast(10), range(10).map((k) => 50 + 3 * (40 + k)), 0.01);
  });

  it('follows a pure linear trend within 1% for horizons 1..10 when damped', () => {
    const model = holtDamped(line(60, 1000, 4), {});
    expect(model.method).toBe('holt-damped');
    expectRelativelyClose(model.forecast(10), range(10).map((k) => 1000 + 4 * (60 + k)), 0.01);
  });

  it('reproduces a pure linear trend in-sample', () => {
    expectRelativelyClose(holt(line(20, -5, 0.5), {}).fitted, line(20, -5, 0.5), 1e-6);
  });

  it('flattens its trend with damping: increments shrink by phi each step', () => {
    const y = line(50, 10, 1).map((v, t) => v + 0.5 * noise(50, 11)[t]);
    const model = holtDamped(y, {});
    const f = model.forecast(4);
    const ratio = (f[3] - f[2]) / (f[2] - f[1]);
    expect(ratio).toBeCloseTo(model.params.phi, 6);
  });

  it('keeps alpha, beta in [1e-4, 0.9999] and phi in [0.8, 0.98] on a noisy trending series', () => {
    const y = line(100, 0, 0.3).map((v, t) => v + 3 * noise(100, 5)[t]);
    const { alpha, beta, phi } = holtDamped(y, {}).params;
    for (const w of [alpha, beta]) expectWithin(w, 1e-4, 0.9999);
    expectWithin(phi, 0.8, 0.98);
    expect(holt(y, {}).params.phi).toBe(1);
  });

  it('is not applicable to a series shorter than four values', () => {
    expect(() => holt([1, 2, 3], {})).toThrow(MethodNotApplicable);
    expect(() => holtDamped([1, 2, 3], {})).toThrow(MethodNotApplicable);
  });
});
