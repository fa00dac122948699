/**
 * Naive benchmarks: 'naive' repeats the last value, 'seasonal-naive' repeats the last season.
 * They are the yardsticks every other method must beat in backtests, so they stay trivial.
 */
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, FittedModel, MethodNotApplicable } from '../types';

/** Forecasts from origin t repeat y[t - lag + (k mod lag)]; NaN until a full lag has been seen. */
function rollRepeat(y: Float64Array, lag: number, first: number, h: number, out: Float64Array): void {
  for (let t = first; t <= y.length; t++) {
    const row = (t - first) * h;
    for (let k = 0; k < h; k++) out[row + k] = t < lag ? NaN : y[t - lag + (k % lag)];
  }
}

function repeatFit(method: string, lag: number): Fit {
  return {
    method,
    params: lag > 1 ? { seasonPeriod: lag } : {},
    warm: [],
    roll: (y, first, h, out) => rollRepeat(y, lag, first, h, out),
  };
}

export const naiveSpec: ModelSpec = {
  name: 'naive',
  fit(y) {
    if (y.length < 1) throw new MethodNotApplicable('naive needs at least one value');
    return repeatFit('naive', 1);
  },
};

export const seasonalNaiveSpec: ModelSpec = {
  name: 'seasonal-naive',
  fit(y, m) {
    if (!Number.isInteger(m) || m < 2) throw new MethodNotApplicable('seasonal-naive needs a seasonPeriod of at least 2');
    if (y.length < m) throw new MethodNotApplicable('seasonal-naive needs one full season');
    return repeatFit('seasonal-naive', m);
  },
};

export function naive(values: readonly number[], _options: FitOptions = {}): FittedModel {
  const y = Float64Array.from(values);
  return toFittedModel(naiveSpec.fit(y, 1), y);
}

export function seasonalNaive(values: readonly number[], options: FitOptions = {}): FittedModel {
  const y = Float64Array.from(values);
  return toFittedModel(seasonalNaiveSpec.fit(y, options.seasonPeriod ?? 1), y);
}
