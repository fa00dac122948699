import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';
import {
  holtWintersAdditive,
  holtWintersAdditiveDamped,
  holtWintersMultiplicative,
  holtWintersMultiplicativeDamped,
} from '../../../../libs/analytics/src/forecast/exp-smoothing/holt-winters';
import { expectRelativelyClose, noise, range } from './helpers';

const pattern = [10, -4, 7, -13];
const additive = (n: number, slope: number) => range(n).map((t) => 100 + slope * t + pattern[t % 4]);
const factors = [1.3, 0.8, 1.1, 0.7, 1.0, 1.1];
const multiplicative = (n: number, slope: number) => range(n).map((t) => (200 + slope * t) * factors[t % 6]);

describe('Holt–Winters additive', () => {
  it('reproduces a pure repeating pattern in and out of sample', () => {
    const model = holtWintersAdditive(additive(24, 0), { seasonPeriod: 4 });
    expect(model.method).toBe('holt-winters-additive');
    expectRelativelyClose(model.fitted, additive(24, 0), 1e-6);
    expectRelativelyClose(model.forecast(8), additive(32, 0).slice(24), 1e-6);
  });

  it('reproduces a repeating pattern on top of a linear trend', () => {
    const model = holtWintersAdditive(additive(40, 2.5), { seasonPeriod: 4 });
    expectRelativelyClose(model.forecast(12), additive(52, 2.5).slice(40), 1e-6);
  });

  it('tracks a noisy seasonal series to within a few percent', () => {
    const y = additive(80, 1).map((v, t) => v + noise(80, 9)[t]);
    const model = holtWintersAdditive(y, { seasonPeriod: 4 });
    expectRelativelyClose(model.forecast(4), additive(84, 1).slice(80), 0.05);
  });

  it('accepts negative values', () => {
    expect(() => holtWintersAdditive(additive(16, 0).map((v) => v - 500), { seasonPeriod: 4 })).not.toThrow();
  });
});

describe('Holt–Winters multiplicative', () => {
  it('reproduces a positive repeating pattern', () => {
    const model = holtWintersMultiplicative(multiplicative(36, 0), { seasonPeriod: 6 });
    expect(model.method).toBe('holt-winters-multiplicative');
    expectRelativelyClose(model.forecast(12), multiplicative(48, 0).slice(36), 1e-6);
  });

  it('forecasts a trending pattern whose swings grow with the level to within 2%', () => {
    const model = holtWintersMultiplicative(multiplicative(60, 3), { seasonPeriod: 6 });
    expectRelativelyClose(model.forecast(12), multiplicative(72, 3).slice(60), 0.02);
  });

  it('is not applicable when any value is zero or negative', () => {
    const y = multiplicative(24, 0);
    y[5] = -1;
    expect(() => holtWintersMultiplicative(y, { seasonPeriod: 6 })).toThrow(MethodNotApplicable);
    y[5] = 0;
    expect(() => holtWintersMultiplicative(y, { seasonPeriod: 6 })).toThrow(MethodNotApplicable);
  });
});

describe('Holt–Winters with a damped trend', () => {
  it('reproduces a pure repeating pattern (additive and multiplicative)', () => {
    expectRelativelyClose(holtWintersAdditiveDamped(additive(24, 0), { seasonPeriod: 4 }).forecast(8), additive(32, 0).slice(24), 1e-6);
    expectRelativelyClose(holtWintersMultiplicativeDamped(multiplicative(36, 0), { seasonPeriod: 6 }).forecast(12), multiplicative(48, 0).slice(36), 1e-6);
  });

  it('damps its trend by phi per step: the season-on-season change shrinks by phi^period', () => {
    const y = additive(60, 2).map((v, t) => v + noise(60, 4)[t]);
    const damped = holtWintersAdditiveDamped(y, { seasonPeriod: 4 });
    const f = damped.forecast(12);
    // Same season slot four steps apart, so only the damped trend separates them.
    expect((f[8] - f[4]) / (f[4] - f[0])).toBeCloseTo(damped.params.phi ** 4, 6);
    expect(damped.params.phi).toBeLessThanOrEqual(0.98);
    expect(damped.method).toBe('holt-winters-additive-damped');
  });
});

describe.each([
  ['additive', holtWintersAdditive],
  ['multiplicative', holtWintersMultiplicative],
  ['additive damped', holtWintersAdditiveDamped],
  ['multiplicative damped', holtWintersMultiplicativeDamped],
])('Holt–Winters %s applicability', (_kind, method) => {
  it('is not applicable with fewer than two full seasons', () => {
    expect(() => method(multiplicative(11, 0), { seasonPeriod: 6 })).toThrow(MethodNotApplicable);
    expect(() => method(multiplicative(12, 0), { seasonPeriod: 6 })).not.toThrow();
  });

  it('is not applicable without an integer season period of at least 2', () => {
    const y = multiplicative(24, 0);
    expect(() => method(y, {})).toThrow(MethodNotApplicable);
    expect(() => method(y, { seasonPeriod: 1 })).toThrow(MethodNotApplicable);
    expect(() => method(y, { seasonPeriod: 2.5 })).toThrow(MethodNotApplicable);
  });
});
