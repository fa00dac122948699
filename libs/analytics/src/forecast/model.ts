/**
 * The internal shape every forecasting method is built on: a spec that fits parameters to a
 * series, and a fit that can replay its recursion with those parameters fixed, emitting forecasts
 * from many origins in one pass. The rolling-origin backtest, the in-sample fitted values and the
 * final forecast all come from that one replay, so no method is refitted per origin.
 */
import { FittedModel } from './types';

export interface Fit {
  method: string;
  params: Record<string, number>;
  /** Parameter vector a refit on a longer series can start its search from. */
  warm: readonly number[];
  /**
   * Replays the fitted recursion over `y` from its start with the parameters fixed. For every
   * origin o in first..y.length (forecasting y[o], y[o+1], ... having seen y[0..o)), writes the
   * 1..h-step forecasts into out[(o - first) * h + k]; NaN where the method has no forecast yet.
   */
  roll(y: Float64Array, first: number, h: number, out: Float64Array): void;
}

export interface ModelSpec {
  name: string;
  /** Fits to `y`; throws MethodNotApplicable when the series cannot support the method. */
  fit(y: Float64Array, seasonPeriod: number, warm?: readonly number[]): Fit;
}

/** Rows of forecasts a roll from `first` produces over a series of length n. */
export function rollRows(n: number, first: number): number {
  return n - first + 1;
}

/** Forecasts for 1..h steps past the end of `y`. */
export function forecastEnd(fit: Fit, y: Float64Array, h: number): Float64Array {
  const out = new Float64Array(h);
  if (h > 0) fit.roll(y, y.length, h, out);
  return out;
}

/** One-step in-sample forecasts: fitted[t] is the forecast of y[t] made from y[0..t). */
export function oneStepFitted(fit: Fit, y: Float64Array): Float64Array {
  const out = new Float64Array(y.length + 1);
  fit.roll(y, 0, 1, out);
  return out.subarray(0, y.length);
}

/** Mean squared one-step in-sample error, skipping steps without a forecast; NaN if there are none. */
export function residualMse(fit: Fit, y: Float64Array): number {
  const fitted = oneStepFitted(fit, y);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < y.length; t++) {
    const e = y[t] - fitted[t];
    if (Number.isFinite(e)) {
      sum += e * e;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/** The public per-method view of a fit (see FittedModel). */
export function toFittedModel(fit: Fit, y: Float64Array): FittedModel {
  const fitted = Array.from(oneStepFitted(fit, y));
  return {
    method: fit.method,
    params: fit.params,
    fitted,
    forecast(horizon: number): number[] {
      if (!Number.isInteger(horizon) || horizon < 0) {
        throw new RangeError(`forecast horizon must be a non-negative integer, got ${horizon}`);
      }
      return Array.from(forecastEnd(fit, y, horizon));
    },
  };
}
