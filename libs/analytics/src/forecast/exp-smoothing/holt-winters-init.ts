/**
 * Classical-decomposition-style starting states for Holt–Winters: level and trend from the means
 * of the first full seasons, seasonal indices from the detrended deviations around those means.
 */

export type Seasonality = 'additive' | 'multiplicative';

export interface SeasonalState {
  level: number;
  trend: number;
  /** season[i] is the index applied at times t with t % period === i. */
  season: Float64Array;
}

// Only the first few seasons describe the *start* of the series; later ones would drag in
// whatever the pattern drifted to, which the smoothing is meant to track instead.
const MAX_INIT_SEASONS = 4;

function seasonMeans(y: Float64Array, period: number, seasons: number): number[] {
  return Array.from({ length: seasons }, (_, j) => {
    let s = 0;
    for (let i = 0; i < period; i++) s += y[j * period + i];
    return s / period;
  });
}

function normalise(season: Float64Array, kind: Seasonality): void {
  let mean = 0;
  for (const s of season) mean += s / season.length;
  // Indices must be centred (sum 0 / mean 1) or level and season would both carry the same offset.
  for (let i = 0; i < season.length; i++) season[i] = kind === 'additive' ? season[i] - mean : season[i] / mean;
}

/** States as of just before the first observation, so the first fitted value is level + trend + season[0]. */
export function initialSeasonalState(y: Float64Array, period: number, kind: Seasonality): SeasonalState {
  const seasons = Math.min(MAX_INIT_SEASONS, Math.floor(y.length / period));
  const means = seasonMeans(y, period, seasons);
  const trend = (means[seasons - 1] - means[0]) / ((seasons - 1) * period);
  const season = new Float64Array(period);
  for (let i = 0; i < period; i++) {
    // A season mean sits at the season's centre; shift it to position i along the trend.
    const offset = trend * (i - (period - 1) / 2);
    let sum = 0;
    for (let j = 0; j < seasons; j++) {
      const base = means[j] + offset;
      sum += kind === 'additive' ? y[j * period + i] - base : y[j * period + i] / base;
    }
    season[i] = sum / seasons;
  }
  normalise(season, kind);
  const level = means[0] - trend * ((period + 1) / 2);
  return { level, trend, season };
}
