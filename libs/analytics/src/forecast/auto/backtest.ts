/**
 * Rolling-origin backtest. Each method is fitted once, on the series up to the first origin, and
 * its recursion is then replayed over the rest with those parameters fixed, forecasting from
 * every later origin. So every backtest forecast is out of sample (neither the parameters nor the
 * states have seen the values it is scored on), and a method costs one fit, not one per origin.
 */
import { Fit, ModelSpec, rollRows } from '../model';

export interface BacktestPlan {
  /** First origin: the fit sees y[0..first); forecasts are made from every origin first..n-1. */
  first: number;
  /** Steps ahead scored from each origin (the requested horizon, capped). */
  h: number;
}

export interface Trial {
  /** The fit on y[0..first), whose warm start seeds the final refit. */
  fit: Fit;
  /** Forecasts from origins first..n, row-major (rollRows × h). */
  matrix: Float64Array;
}

export interface HorizonErrors {
  sumAbs: Float64Array;
  sumSq: Float64Array;
  count: Float64Array;
  /** False when a forecast that could be scored was NaN or infinite. */
  finite: boolean;
}

/** Origins with a full horizon ahead: enough to score the far steps, few enough to stay recent. */
const FULL_HORIZON_ORIGINS = 6;
/** The shortest series any method is fitted to in a backtest (Holt needs four points). */
const MIN_TRAIN = 4;
/** Seasonal methods need two seasons before the first origin; worth it with this many origins. */
const MIN_SEASONAL_ORIGINS = 3;
/** The backtest's cost grows with the square of its horizon; longer requests reuse its last steps. */
const MAX_BACKTEST_HORIZON = 60;

/** Null when the series is too short to hold anything out. */
export function planBacktest(n: number, horizon: number, seasonPeriod: number): BacktestPlan | null {
  const h = Math.min(horizon, MAX_BACKTEST_HORIZON);
  let first = Math.max(n - h - FULL_HORIZON_ORIGINS + 1, MIN_TRAIN);
  if (seasonPeriod >= 2 && first < 2 * seasonPeriod && n - 2 * seasonPeriod >= MIN_SEASONAL_ORIGINS) {
    first = 2 * seasonPeriod;
  }
  return first <= n - 1 ? { first, h } : null;
}

/** Fits on the prefix and replays over the whole series; throws MethodNotApplicable. */
export function runTrial(spec: ModelSpec, y: Float64Array, m: number, plan: BacktestPlan): Trial {
  const fit = spec.fit(y.subarray(0, plan.first), m);
  const matrix = new Float64Array(rollRows(y.length, plan.first) * plan.h);
  fit.roll(y, plan.first, plan.h, matrix);
  return { fit, matrix };
}

export function averageMatrices(matrices: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(matrices[0].length);
  for (const m of matrices) for (let i = 0; i < out.length; i++) out[i] += m[i] / matrices.length;
  return out;
}

/** Forecast errors per step ahead, over every origin whose target lies inside the series. */
export function horizonErrors(y: Float64Array, plan: BacktestPlan, matrix: Float64Array): HorizonErrors {
  const { first, h } = plan;
  const result: HorizonErrors = { sumAbs: new Float64Array(h), sumSq: new Float64Array(h), count: new Float64Array(h), finite: true };
  for (let o = first; o < y.length; o++) {
    const row = (o - first) * h;
    for (let k = 0; k < h && o + k < y.length; k++) {
      const e = y[o + k] - matrix[row + k];
      if (!Number.isFinite(e)) result.finite = false;
      result.sumAbs[k] += Math.abs(e);
      result.sumSq[k] += e * e;
      result.count[k] += 1;
    }
  }
  return result;
}

/** Mean absolute error per step ahead, for the steps that were scored. */
export function maeByHorizon(errors: HorizonErrors): number[] {
  const out: number[] = [];
  for (let k = 0; k < errors.count.length && errors.count[k] > 0; k++) out.push(errors.sumAbs[k] / errors.count[k]);
  return out;
}

/**
 * Mean over steps of the per-step MAE, so the far steps (scored from few origins) weigh as much
 * as the near ones: the choice is for the whole horizon asked for.
 */
export function meanAbsoluteError(errors: HorizonErrors): number {
  if (!errors.finite) return Infinity;
  const mae = maeByHorizon(errors);
  return mae.length === 0 ? Infinity : mae.reduce((s, v) => s + v, 0) / mae.length;
}

/** MASE denominator: in-sample MAE of the seasonal naive (naive without a season) forecast. */
export function maseScale(y: Float64Array, m: number): number {
  const lag = m >= 2 && y.length > m ? m : 1;
  let sum = 0;
  for (let t = lag; t < y.length; t++) sum += Math.abs(y[t] - y[t - lag]);
  return y.length > lag ? sum / (y.length - lag) : 0;
}
