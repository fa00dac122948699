/**
 * Holt–Winters seasonal exponential smoothing, additive and multiplicative. Starting states come
 * from a classical-decomposition heuristic; alpha, beta and gamma are fitted by minimising the
 * in-sample one-step SSE.
 */
import { FitOptions, FittedModel, ForecastMethod, MethodNotApplicable } from '../types';
import { initialSeasonalState, SeasonalState, Seasonality } from './holt-winters-init';
import { minimize } from './optimize';
import { requireHorizon, requireSeries, SMOOTHING_BOUNDS } from './series';

interface HwWeights {
  alpha: number;
  beta: number;
  gamma: number;
}

interface HwRun {
  state: SeasonalState;
  sse: number;
}

/** Runs the recursion from a copy of `start`; `fitted`, when given, receives one-step forecasts. */
function runHw(y: Float64Array, kind: Seasonality, w: HwWeights, start: SeasonalState, fitted?: Float64Array): HwRun {
  const season = start.season.slice();
  const m = season.length;
  let { level, trend } = start;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const i = t % m;
    const base = level + trend;
    const f = kind === 'additive' ? base + season[i] : base * season[i];
    if (fitted) fitted[t] = f;
    sse += (y[t] - f) ** 2;
    const next = w.alpha * (kind === 'additive' ? y[t] - season[i] : y[t] / season[i]) + (1 - w.alpha) * base;
    trend = w.beta * (next - level) + (1 - w.beta) * trend;
    level = next;
    // A non-positive level or index makes the multiplicative model meaningless (and divides by 0).
    if (kind === 'multiplicative' && level <= 0) return { state: { level, trend, season }, sse: Infinity };
    const seasonal = kind === 'additive' ? y[t] - level : y[t] / level;
    season[i] = w.gamma * seasonal + (1 - w.gamma) * season[i];
  }
  return { state: { level, trend, season }, sse: Number.isFinite(sse) ? sse : Infinity };
}

function requirePeriod(options: FitOptions, method: string): number {
  const period = options.seasonPeriod;
  if (period === undefined || !Number.isInteger(period) || period < 2) {
    throw new MethodNotApplicable(`${method} needs an integer seasonPeriod >= 2, got ${period}`);
  }
  return period;
}

function fitHoltWinters(values: readonly number[], options: FitOptions, kind: Seasonality): FittedModel {
  const method = `holt-winters-${kind}`;
  const period = requirePeriod(options, method);
  const y = requireSeries(values, 2 * period, method);
  if (kind === 'multiplicative' && !y.every((v) => v > 0)) {
    throw new MethodNotApplicable(`${method} needs all values > 0`);
  }
  const start = initialSeasonalState(y, period, kind);
  const toWeights = (x: readonly number[]): HwWeights => ({ alpha: x[0], beta: x[1], gamma: x[2] });
  const [lo, hi] = SMOOTHING_BOUNDS;
  const box = { lower: [lo, lo, lo], upper: [hi, hi, hi] };
  const starts = [[0.2, 0.05, 0.1], [0.5, 0.1, 0.3], [0.8, 0.2, 0.5], [0.3, 0.01, 0.05]];
  const weights = toWeights(minimize((x) => runHw(y, kind, toWeights(x), start).sse, starts, box).x);
  const fitted = new Float64Array(y.length);
  const { state } = runHw(y, kind, weights, start, fitted);
  return {
    method,
    params: { ...weights, level0: start.level, trend0: start.trend, seasonPeriod: period },
    fitted: Array.from(fitted),
    forecast(horizon: number): number[] {
      requireHorizon(horizon);
      return Array.from({ length: horizon }, (_, k) => {
        const base = state.level + (k + 1) * state.trend;
        const s = state.season[(y.length + k) % period];
        return kind === 'additive' ? base + s : base * s;
      });
    },
  };
}

export const holtWintersAdditive: ForecastMethod = (values: readonly number[], options: FitOptions = {}) =>
  fitHoltWinters(values, options, 'additive');

export const holtWintersMultiplicative: ForecastMethod = (values: readonly number[], options: FitOptions = {}) =>
  fitHoltWinters(values, options, 'multiplicative');
