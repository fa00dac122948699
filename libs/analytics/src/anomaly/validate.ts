/** Input checks for anomaly detection: every refusal names the field and says what was wrong. */
import { AnomalyInputError, AnomalyOptions } from './types';
import { minimumLength } from './decompose';

export const DEFAULT_ANOMALY_THRESHOLD = 3.5;
// A shift is the largest of many window comparisons, so it needs a higher bar than one point.
export const DEFAULT_SHIFT_THRESHOLD = 5;
export const MAX_SEASON_PERIOD = 10_000;

export function checkValues(values: unknown): asserts values is number[] {
  if (!Array.isArray(values)) throw new AnomalyInputError('values', 'values must be an array of numbers');
  if (values.length === 0) throw new AnomalyInputError('values', 'values must not be empty');
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new AnomalyInputError(`values[${i}]`, `values[${i}] must be a finite number; got ${describe(v)}`);
    }
  });
  const needed = minimumLength(1);
  if (values.length < needed) throw new AnomalyInputError('values', `values needs at least ${needed} points; got ${values.length}`);
}

/** The given season length, checked against the series; undefined when the caller left it out. */
export function checkSeasonPeriod(period: unknown, length: number): number | undefined {
  if (period === undefined) return undefined;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period > MAX_SEASON_PERIOD) {
    throw new AnomalyInputError('seasonPeriod', `seasonPeriod must be an integer from 1 to ${MAX_SEASON_PERIOD}; got ${describe(period)}`);
  }
  const needed = minimumLength(period);
  if (period > 1 && length < needed) {
    throw new AnomalyInputError('seasonPeriod', `seasonPeriod ${period} needs at least ${needed} values (two seasons and one); got ${length}`);
  }
  return period;
}

export function checkThreshold(field: keyof AnomalyOptions, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AnomalyInputError(field, `${field} must be a finite number above 0; got ${describe(value)}`);
  }
  return value;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}
