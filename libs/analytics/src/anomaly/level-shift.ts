/**
 * Level-shift detection, separate from point anomalies: the median of a window after each
 * point against the median of the window before it, less the drift the series' own trend
 * explains, in units of the noise. Medians make one spike irrelevant; the trend allowance keeps
 * a steady climb from looking like a step.
 */
import { LevelShift } from './types';
import { medianOf, robustScale } from './robust';

/** Points on each side of a candidate shift when the series has no season. */
const PLAIN_SHIFT_WINDOW = 5;

export function shiftWindow(period: number): number {
  return period > 1 ? Math.max(period, 3) : PLAIN_SHIFT_WINDOW;
}

/**
 * Noise sigma from first differences: a step adds one large difference, a trend shifts them
 * all, and the median-based spread ignores both. Differences of white noise have √2·σ.
 */
function noiseSigma(diffs: readonly number[], floor: number): number {
  return robustScale(diffs, floor).scale / Math.SQRT2;
}

/** Sum of absolute deviations from the median: the L1 cost of calling `xs` one level. */
function levelCost(xs: readonly number[]): number {
  const m = medianOf(xs);
  return xs.reduce((sum, x) => sum + Math.abs(x - m), 0);
}

/**
 * Window medians barely move as the split slides by one point, so the strongest window only
 * says roughly where the step is. The split of the surrounding 2m points into two levels with
 * the least absolute deviation says exactly where (the trend is taken out first).
 */
function refineIndex(y: readonly number[], rough: number, m: number, slope: number): number {
  const lo = Math.max(0, rough - m);
  const hi = Math.min(y.length, rough + m);
  const local = y.slice(lo, hi).map((v, j) => v - slope * (lo + j));
  let best = rough;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let k = lo + 2; k <= hi - 2; k++) {
    const cost = levelCost(local.slice(0, k - lo)) + levelCost(local.slice(k - lo));
    if (cost < bestCost) {
      bestCost = cost;
      best = k;
    }
  }
  return best;
}

/**
 * The strongest shift in a deseasonalised series, or null when none reaches `threshold` noise
 * sigmas (or the series is shorter than two windows). `floor` stands in for a zero noise sigma.
 */
export function detectLevelShift(deseasonalised: readonly number[], period: number, threshold: number, floor: number): LevelShift | null {
  const m = shiftWindow(period);
  const n = deseasonalised.length;
  if (n < 2 * m) return null;
  const diffs = deseasonalised.slice(1).map((v, i) => v - deseasonalised[i]);
  // Change over m steps when nothing shifts; lag-m differences cancel what the season left behind.
  const drift = medianOf(deseasonalised.slice(m).map((v, i) => v - deseasonalised[i]));
  let best: Omit<LevelShift, 'direction' | 'score'> | null = null;
  for (let k = m; k <= n - m; k++) {
    const before = medianOf(deseasonalised.slice(k - m, k));
    const after = medianOf(deseasonalised.slice(k, k + m));
    const size = after - before - drift;
    if (!best || Math.abs(size) > Math.abs(best.size)) best = { index: k, before, after, size };
  }
  const sigma = noiseSigma(diffs, floor);
  if (!best) return null;
  const score = Math.abs(best.size) / sigma;
  if (score < threshold) return null;
  const index = refineIndex(deseasonalised, best.index, m, drift / m);
  const before = medianOf(deseasonalised.slice(Math.max(0, index - m), index));
  const after = medianOf(deseasonalised.slice(index, index + m));
  const size = after - before - drift;
  return { index, before, after, size, direction: size > 0 ? 'up' : 'down', score: Math.abs(size) / sigma };
}
