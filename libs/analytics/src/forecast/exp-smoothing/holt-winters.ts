/**
 * Holt–Winters seasonal exponential smoothing, additive and multiplicative, with an undamped or a
 * damped trend. Starting states come from a classical-decomposition heuristic; alpha, beta, gamma
 * (and phi when damped) are fitted by minimising the in-sample one-step SSE.
 */
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, ForecastMethod, MethodNotApplicable } from '../types';
import { initialSeasonalState, SeasonalState, Seasonality } from './holt-winters-init';
import { Box, minimize } from './optimize';
import { DAMPING_BOUNDS, dampedSteps, FIT_LIMITS, requireLength, requireSeries, SMOOTHING_BOUNDS, startsFor } from './series';

interface HwWeights {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** Folds one observation into the state (level, trend and the season slot i), in place. */
function update(kind: Seasonality, w: HwWeights, y: number, st: SeasonalState, i: number): void {
  const s = st.season;
  const base = st.level + w.phi * st.trend;
  const deseasoned = kind === 'additive' ? y - s[i] : y / s[i];
  const next = w.alpha * deseasoned + (1 - w.alpha) * base;
  st.trend = w.beta * (next - st.level) + (1 - w.beta) * w.phi * st.trend;
  st.level = next;
  s[i] = w.gamma * (kind === 'additive' ? y - next : y / next) + (1 - w.gamma) * s[i];
}

/**
 * In-sample one-step SSE from `start`, using `season` as scratch space. Written out per kind with
 * plain locals: this loop is where a forecast spends most of its time.
 */
function hwSse(y: Float64Array, kind: Seasonality, w: HwWeights, start: SeasonalState, season: Float64Array): number {
  season.set(start.season);
  const { alpha, beta, gamma, phi } = w;
  const m = season.length;
  const carry = (1 - beta) * phi;
  let level = start.level;
  let trend = start.trend;
  let sse = 0;
  for (let t = 0, i = 0; t < y.length; t++, i = i + 1 === m ? 0 : i + 1) {
    const base = level + phi * trend;
    const v = y[t];
    const s = season[i];
    let next: number;
    if (kind === 'additive') {
      sse += (v - base - s) * (v - base - s);
      next = alpha * (v - s) + (1 - alpha) * base;
      season[i] = gamma * (v - next) + (1 - gamma) * s;
    } else {
      sse += (v - base * s) * (v - base * s);
      next = alpha * (v / s) + (1 - alpha) * base;
      // A non-positive level makes the multiplicative model meaningless (and divides by 0).
      if (!(next > 0)) return Infinity;
      season[i] = gamma * (v / next) + (1 - gamma) * s;
    }
    trend = beta * (next - level) + carry * trend;
    level = next;
  }
  return Number.isFinite(sse) ? sse : Infinity;
}

function rollHw(y: Float64Array, kind: Seasonality, w: HwWeights, start: SeasonalState, first: number, h: number, out: Float64Array): void {
  const st: SeasonalState = { level: start.level, trend: start.trend, season: start.season.slice() };
  const m = st.season.length;
  const steps = new Float64Array(h);
  for (let k = 0; k < h; k++) steps[k] = dampedSteps(w.phi, k + 1);
  for (let t = 0; t <= y.length; t++) {
    if (t >= first) {
      const row = (t - first) * h;
      for (let k = 0; k < h; k++) {
        const base = st.level + steps[k] * st.trend;
        const s = st.season[(t + k) % m];
        out[row + k] = kind === 'additive' ? base + s : base * s;
      }
    }
    if (t === y.length) break;
    update(kind, w, y[t], st, t % m);
  }
}

const [LO, HI] = SMOOTHING_BOUNDS;
const STARTS = [[0.2, 0.05, 0.1], [0.5, 0.1, 0.3], [0.8, 0.2, 0.5], [0.3, 0.01, 0.05]];

function searchSpace(damped: boolean): { box: Box; starts: number[][] } {
  if (!damped) return { box: { lower: [LO, LO, LO], upper: [HI, HI, HI] }, starts: STARTS };
  return {
    box: { lower: [LO, LO, LO, DAMPING_BOUNDS[0]], upper: [HI, HI, HI, DAMPING_BOUNDS[1]] },
    starts: STARTS.map((s) => [...s, 0.95]),
  };
}

export function holtWintersName(kind: Seasonality, damped: boolean): string {
  return `holt-winters-${kind}${damped ? '-damped' : ''}`;
}

function fitHw(y: Float64Array, period: number, kind: Seasonality, damped: boolean, warm?: readonly number[]): Fit {
  const method = holtWintersName(kind, damped);
  if (!Number.isInteger(period) || period < 2) {
    throw new MethodNotApplicable(`${method} needs an integer seasonPeriod >= 2, got ${period}`);
  }
  requireLength(y.length, 2 * period, method);
  if (kind === 'multiplicative' && !y.every((v) => v > 0)) throw new MethodNotApplicable(`${method} needs all values > 0`);
  const start = initialSeasonalState(y, period, kind);
  const toWeights = (x: readonly number[]): HwWeights => ({ alpha: x[0], beta: x[1], gamma: x[2], phi: damped ? x[3] : 1 });
  const scratch = new Float64Array(period);
  const { box, starts } = searchSpace(damped);
  const best = minimize((x) => hwSse(y, kind, toWeights(x), start, scratch), startsFor(starts, warm), box, FIT_LIMITS);
  const w = toWeights(best.x);
  return {
    method,
    params: { ...w, level0: start.level, trend0: start.trend, seasonPeriod: period },
    warm: best.x,
    roll: (ys, first, h, out) => rollHw(ys, kind, w, start, first, h, out),
  };
}

export function holtWintersSpec(kind: Seasonality, damped: boolean): ModelSpec {
  return { name: holtWintersName(kind, damped), fit: (y, m, warm) => fitHw(y, m, kind, damped, warm) };
}

function publicMethod(kind: Seasonality, damped: boolean): ForecastMethod {
  return (values: readonly number[], options: FitOptions = {}) => {
    const period = options.seasonPeriod ?? NaN;
    const y = requireSeries(values, Number.isInteger(period) && period >= 2 ? 2 * period : 0, holtWintersName(kind, damped));
    return toFittedModel(fitHw(y, period, kind, damped), y);
  };
}

export const holtWintersAdditive = publicMethod('additive', false);
export const holtWintersMultiplicative = publicMethod('multiplicative', false);
export const holtWintersAdditiveDamped = publicMethod('additive', true);
export const holtWintersMultiplicativeDamped = publicMethod('multiplicative', true);
