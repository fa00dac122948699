/**
 * Naive benchmarks: 'naive' repeats the last value, 'seasonal-naive' repeats the last season.
 * They are the yardsticks every other method must beat in backtests, so they stay trivial.
 */
import { FitOptions, FittedModel, MethodNotApplicable } from '../types';

export function naive(values: readonly number[], _options: FitOptions = {}): FittedModel {
  if (values.length < 1) throw new MethodNotApplicable('naive needs at least one value');
  const last = values[values.length - 1];
  const fitted = values.map((_, t) => (t === 0 ? NaN : values[t - 1]));
  return {
    method: 'naive',
    params: {},
    fitted,
    forecast: (horizon) => Array.from({ length: horizon }, () => last),
  };
}

export function seasonalNaive(values: readonly number[], options: FitOptions = {}): FittedModel {
  const m = options.seasonPeriod ?? 1;
  if (!Number.isInteger(m) || m < 2) {
    throw new MethodNotApplicable('seasonal-naive needs a seasonPeriod of at least 2');
  }
  if (values.length < m) throw new MethodNotApplicable('seasonal-naive needs one full season');
  const n = values.length;
  const lastSeason = values.slice(n - m);
  const fitted = values.map((_, t) => (t < m ? NaN : values[t - m]));
  return {
    method: 'seasonal-naive',
    params: { seasonPeriod: m },
    fitted,
    forecast: (horizon) => Array.from({ length: horizon }, (_, i) => lastSeason[i % m]),
  };
}
