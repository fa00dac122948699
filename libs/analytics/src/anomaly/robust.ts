/**
 * Robust statistics the anomaly code shares: median, robust sigma with a guard for a zero MAD,
 * and a running median, so one wild value never moves a trend, a season or a scale.
 */
import { mean, median } from 'simple-statistics';

/** 1.4826·MAD estimates the standard deviation of normal data. */
export const MAD_TO_SIGMA = 1.4826;
/** sqrt(pi/2)·mean absolute deviation, the fallback when more than half the points are equal. */
export const MEAN_AD_TO_SIGMA = 1.2533;
// Residuals this small relative to the data's magnitude are rounding, not signal.
const RELATIVE_FLOOR = 1e-9;

export interface RobustScale {
  center: number;
  scale: number;
  from: 'mad' | 'mean-absolute-deviation' | 'floor';
}

export function medianOf(xs: readonly number[]): number {
  return median(xs as number[]);
}

/** The smallest scale worth reporting for data of this magnitude (0 for all-zero data). */
export function numericFloor(values: readonly number[]): number {
  return RELATIVE_FLOOR * medianOf(values.map(Math.abs));
}

/**
 * Centre and sigma of `xs` by median and MAD. When the MAD is 0 (over half the points equal),
 * the mean absolute deviation stands in, so a lone departure still gets a finite z; when that is
 * 0 too, every point equals the centre and the floor keeps z at 0 instead of 0/0.
 */
export function robustScale(xs: readonly number[], floor: number): RobustScale {
  const center = medianOf(xs);
  const deviations = xs.map((x) => Math.abs(x - center));
  const mad = MAD_TO_SIGMA * medianOf(deviations);
  if (mad > floor) return { center, scale: mad, from: 'mad' };
  const meanAd = MEAN_AD_TO_SIGMA * mean(deviations);
  if (meanAd > floor) return { center, scale: meanAd, from: 'mean-absolute-deviation' };
  return { center, scale: floor > 0 ? floor : 1, from: 'floor' };
}

/**
 * Median of each odd window of `width` centred on a point; NaN where the window does not fit.
 * With `leaveOut`, the centre point is left out of its own window: a median that may pick the
 * point itself makes many residuals exactly 0 and shrinks the MAD, which inflates every z.
 */
export function runningMedian(xs: readonly number[], width: number, leaveOut = false): number[] {
  const half = Math.floor(width / 2);
  return xs.map((_, i) => {
    if (i < half || i + half >= xs.length) return Number.NaN;
    const window = leaveOut ? [...xs.slice(i - half, i), ...xs.slice(i + 1, i + half + 1)] : xs.slice(i - half, i + half + 1);
    return medianOf(window);
  });
}

/**
 * For each point, the median of all the other points, in O(n log n): after one sort, leaving
 * out the point of rank r only moves the middle ranks at or above r up by one.
 */
export function leaveOneOutMedians(xs: readonly number[]): number[] {
  const k = xs.length;
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const sorted = order.map((i) => xs[i]);
  const out = new Array<number>(k);
  order.forEach((i, rank) => {
    const at = (m: number) => sorted[m < rank ? m : m + 1];
    const rest = k - 1;
    if (rest === 0) out[i] = Number.NaN;
    else out[i] = rest % 2 === 1 ? at((rest - 1) / 2) : (at(rest / 2 - 1) + at(rest / 2)) / 2;
  });
  return out;
}
