/**
 * Croston's method and its Syntetos–Boylan (SBA) bias correction for intermittent demand:
 * demand sizes and the intervals between demands are smoothed separately, and the forecast is
 * their ratio, a flat per-period demand rate.
 */
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, FittedModel, MethodNotApplicable } from '../types';
import { goldenSectionMinimise } from './golden-section';

// The range used in the intermittent-demand literature; larger alphas chase single spikes.
const ALPHA_MIN = 0.05;
const ALPHA_MAX = 0.5;

interface CrostonPath {
  /** Demand-rate estimate available before each period (NaN before the first demand). */
  rates: number[];
  /** Rate after the last period: the flat forecast. */
  finalRate: number;
}

/** Runs Croston's recursions; `correction` scales the ratio (1 for Croston, 1 - a/2 for SBA). */
function crostonPath(values: readonly number[], alpha: number, correction: number): CrostonPath {
  const rates: number[] = [];
  let size = NaN;
  let interval = NaN;
  let sinceLast = 0;
  for (const v of values) {
    rates.push(correction * (size / interval));
    sinceLast += 1;
    if (v === 0) continue;
    // The first demand seeds both estimates; its interval counts from the start of the series.
    size = Number.isNaN(size) ? v : size + alpha * (v - size);
    interval = Number.isNaN(interval) ? sinceLast : interval + alpha * (sinceLast - interval);
    sinceLast = 0;
  }
  return { rates, finalRate: correction * (size / interval) };
}

function pathSse(values: readonly number[], rates: readonly number[]): number {
  let sse = 0;
  values.forEach((v, t) => {
    if (!Number.isNaN(rates[t])) sse += (v - rates[t]) ** 2;
  });
  return sse;
}

function validate(values: readonly number[], method: string): void {
  if (values.some((v) => v < 0 || !Number.isFinite(v))) {
    throw new MethodNotApplicable(`${method} needs non-negative finite demand`);
  }
  if (values.filter((v) => v > 0).length < 2) {
    throw new MethodNotApplicable(`${method} needs at least two non-zero demands`);
  }
}

/** Replays the recursions with alpha fixed; each origin's forecast is the flat rate known then. */
function rollCroston(y: Float64Array, alpha: number, correction: number, first: number, h: number, out: Float64Array): void {
  let size = NaN;
  let interval = NaN;
  let sinceLast = 0;
  for (let t = 0; t <= y.length; t++) {
    if (t >= first) out.fill(correction * (size / interval), (t - first) * h, (t - first + 1) * h);
    if (t === y.length) break;
    sinceLast += 1;
    if (y[t] === 0) continue;
    size = Number.isNaN(size) ? y[t] : size + alpha * (y[t] - size);
    interval = Number.isNaN(interval) ? sinceLast : interval + alpha * (sinceLast - interval);
    sinceLast = 0;
  }
}

function fitCroston(values: ArrayLike<number>, withSba: boolean): Fit {
  const method = withSba ? 'sba' : 'croston';
  const series = Array.from(values);
  validate(series, method);
  // Alpha is always fitted on plain Croston: fitting SBA's own SSE would let the optimiser
  // trade alpha against the correction and partly undo the bias fix it exists to make.
  const alpha = goldenSectionMinimise(
    (a) => pathSse(series, crostonPath(series, a, 1).rates),
    ALPHA_MIN,
    ALPHA_MAX,
  );
  const correction = withSba ? 1 - alpha / 2 : 1;
  return {
    method,
    params: { alpha },
    warm: [alpha],
    roll: (y, first, h, out) => rollCroston(y, alpha, correction, first, h, out),
  };
}

export const crostonSpec: ModelSpec = { name: 'croston', fit: (y) => fitCroston(y, false) };
/** SBA: Croston scaled by (1 - alpha/2), which removes Croston's known upward bias. */
export const sbaSpec: ModelSpec = { name: 'sba', fit: (y) => fitCroston(y, true) };

export function croston(values: readonly number[], _options: FitOptions = {}): FittedModel {
  const y = Float64Array.from(values);
  return toFittedModel(fitCroston(y, false), y);
}

export function sba(values: readonly number[], _options: FitOptions = {}): FittedModel {
  const y = Float64Array.from(values);
  return toFittedModel(fitCroston(y, true), y);
}
