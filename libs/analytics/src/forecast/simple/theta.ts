/**
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000), in the form Hyndman & Billah
 * (2003) showed it equals: simple exponential smoothing plus a drift of half the OLS trend slope,
 * optionally around a classical multiplicative deseasonalisation.
 */
import { linearRegression } from 'simple-statistics';
import { FitOptions, FittedModel, MethodNotApplicable } from '../types';
import { goldenSectionMinimise } from './golden-section';
import { multiplicativeSeasonalIndices } from './seasonal-indices';

// alpha = 0 would make the drift term 1/alpha blow up; a small floor keeps it finite.
const ALPHA_MIN = 0.01;
const ALPHA_MAX = 1;

/** SES levels: levels[t] is the level after observing values[t], started at values[0]. */
function sesLevels(values: readonly number[], alpha: number): number[] {
  const levels = [values[0]];
  for (let t = 1; t < values.length; t++) {
    levels.push(alpha * values[t] + (1 - alpha) * levels[t - 1]);
  }
  return levels;
}

function sesSse(values: readonly number[], alpha: number): number {
  const levels = sesLevels(values, alpha);
  let sse = 0;
  for (let t = 1; t < values.length; t++) sse += (values[t] - levels[t - 1]) ** 2;
  return sse;
}

/** Half-slope drift h steps past a level built from `count` observations (Hyndman & Billah). */
function thetaDrift(slope: number, alpha: number, count: number, h: number): number {
  return 0.5 * slope * (h - 1 + 1 / alpha - (1 - alpha) ** count / alpha);
}

function olsSlope(values: readonly number[]): number {
  return linearRegression(values.map((v, i) => [i + 1, v])).m;
}

/** Indices only when they are meaningful: a season set, two of them seen, and positive data. */
function seasonalIndicesFor(values: readonly number[], m: number | undefined): number[] | null {
  if (m === undefined || !Number.isInteger(m) || m < 2) return null;
  if (values.length < 2 * m) return null;
  // Multiplicative indices are undefined for zero or negative values, so skip rather than guess.
  if (values.some((v) => v <= 0)) return null;
  return multiplicativeSeasonalIndices(values, m);
}

export function theta(values: readonly number[], options: FitOptions = {}): FittedModel {
  const n = values.length;
  if (n < 3) throw new MethodNotApplicable('theta needs at least 3 values');
  const indices = seasonalIndicesFor(values, options.seasonPeriod);
  const season = (t: number): number => (indices ? indices[t % indices.length] : 1);
  const adjusted = values.map((v, t) => v / season(t));

  const alpha = goldenSectionMinimise((a) => sesSse(adjusted, a), ALPHA_MIN, ALPHA_MAX);
  const slope = olsSlope(adjusted);
  const levels = sesLevels(adjusted, alpha);
  const fitted = values.map((_, t) =>
    t === 0 ? NaN : (levels[t - 1] + thetaDrift(slope, alpha, t, 1)) * season(t),
  );
  const lastLevel = levels[n - 1];
  return {
    method: 'theta',
    params: { alpha, slope, seasonPeriod: indices ? indices.length : 1 },
    fitted,
    forecast: (horizon) =>
      Array.from({ length: horizon }, (_, i) => {
        const h = i + 1;
        return (lastLevel + thetaDrift(slope, alpha, n, h)) * season(n + i);
      }),
  };
}
