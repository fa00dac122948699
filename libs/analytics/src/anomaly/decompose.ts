/**
 * Robust seasonal decomposition, STL-like: value = trend + season + residual. The trend is a
 * local linear fit over about one and a half seasons, the season the per-phase mean of what the
 * trend leaves; both are refitted a few times with weight 0 on points whose residual is an
 * outlier, starting from a fit made of medians. So one spike never leaks into its neighbours'
 * expected values, and a line plus a season decomposes exactly.
 */
import { mean } from 'simple-statistics';
import { leaveOneOutMedians, medianOf, robustScale, runningMedian } from './robust';

export interface Decomposition {
  trend: number[];
  seasonal: number[];
  residual: number[];
  /** Residuals brought to one spread (see `standardisedResiduals`): what z-scores are taken of. */
  standardised: number[];
  /** 1 when there is no season. */
  period: number;
  /** Points in each trend window. */
  trendWindow: number;
  /** Start of each stretch the trend was fitted on alone (a level shift splits the series). */
  segments: number[];
}

interface Fit {
  trend: number[];
  seasonal: number[];
  /** Variance of each fitted value in units of the noise variance (trend and season together). */
  variance: number[];
  /** 1 for points the fit used, 0 for the outliers it left out. */
  weights: number[];
}

/** A fitted value and its variance in units of the noise variance. */
interface Smoothed {
  value: number;
  variance: number;
}

/** Half-open index range the trend is fitted on separately. */
export type Segment = [start: number, end: number];

/** Window of the non-seasonal trend: wide enough to ignore two adjacent spikes. */
const PLAIN_TREND_WINDOW = 7;
// A residual beyond this many robust sigmas takes no part in the next fit.
const OUTLIER_CUT = 4;
const ROBUST_ROUNDS = 5;
// Keeps the standardisation finite for a point that nearly fits itself alone.
const MIN_FREEDOM = 0.05;

/** Fewest points a decomposition with this period needs. */
export function minimumLength(period: number): number {
  return period > 1 ? 2 * period + 1 : PLAIN_TREND_WINDOW + 1;
}

/**
 * Odd, and at least one and a half seasons (as STL's default): narrower, a local line chases
 * the noise; wider, it lags a bending trend.
 */
function trendWindow(period: number): number {
  if (period <= 1) return PLAIN_TREND_WINDOW;
  const width = Math.max(Math.ceil(1.5 * period), PLAIN_TREND_WINDOW);
  return width % 2 === 1 ? width : width + 1;
}

/** Running sums over a segment, so each window's weighted line costs O(1), not O(width). */
class WindowSums {
  private readonly sums: Float64Array[];

  /** x is the offset from `start`: small numbers keep the sums exact enough. */
  constructor(y: readonly number[], weights: readonly number[], private readonly start: number, end: number) {
    this.sums = Array.from({ length: 5 }, () => new Float64Array(end - start + 1));
    const [w, wx, wy, wxx, wxy] = this.sums;
    for (let j = start; j < end; j++) {
      const k = j - start, x = k, wt = weights[j];
      w[k + 1] = w[k] + wt;
      wx[k + 1] = wx[k] + wt * x;
      wy[k + 1] = wy[k] + wt * y[j];
      wxx[k + 1] = wxx[k] + wt * x * x;
      wxy[k + 1] = wxy[k] + wt * x * y[j];
    }
  }

  /** Weighted least-squares line through (j, y[j]) for j in [lo, hi), evaluated at `at`. */
  line(lo: number, hi: number, at: number): Smoothed {
    const a = lo - this.start, b = hi - this.start;
    const [w, wx, wy, wxx, wxy] = this.sums;
    const sw = w[b] - w[a], sx = wx[b] - wx[a], sy = wy[b] - wy[a], sxxRaw = wxx[b] - wxx[a], sxyRaw = wxy[b] - wxy[a];
    if (sw <= 0) return { value: Number.NaN, variance: 0 };
    const mx = sx / sw, my = sy / sw;
    const sxx = sxxRaw - sw * mx * mx;
    const sxy = sxyRaw - sw * mx * my;
    const x = at - this.start;
    if (sxx <= 1e-9 * sw) return { value: my, variance: 1 / sw };
    return { value: my + (sxy / sxx) * (x - mx), variance: 1 / sw + (x - mx) ** 2 / sxx };
  }
}

/**
 * Local linear trend: each window is centred on its point, shifted inwards at the ends of a
 * segment so it always spans `width` points (the line then carries the trend to the edge).
 */
function localLinearTrend(y: readonly number[], weights: readonly number[], width: number, segments: readonly Segment[]): Smoothed[] {
  const trend = new Array<Smoothed>(y.length);
  for (const [start, end] of segments) {
    const span = Math.min(width, end - start);
    const sums = new WindowSums(y, weights, start, end);
    let unweighted: WindowSums | null = null;
    for (let i = start; i < end; i++) {
      const lo = Math.min(Math.max(start, i - Math.floor(span / 2)), end - span);
      const fitted = sums.line(lo, lo + span, i);
      if (!Number.isNaN(fitted.value)) trend[i] = fitted;
      else {
        // A window whose every point is an outlier falls back to the unweighted line.
        unweighted ??= new WindowSums(y, y.map(() => 1), start, end);
        trend[i] = unweighted.line(lo, lo + span, i);
      }
    }
  }
  return trend;
}

/** Per-phase weighted mean (median of the phase when all its points are outliers), centred. */
function seasonOf(detrended: readonly number[], weights: readonly number[], period: number): Smoothed[] {
  const phases = Array.from({ length: period }, (_, phase) => {
    let sw = 0, s = 0;
    const all: number[] = [];
    for (let i = phase; i < detrended.length; i += period) {
      sw += weights[i];
      s += weights[i] * detrended[i];
      all.push(detrended[i]);
    }
    return sw > 0 ? { value: s / sw, variance: 1 / sw } : { value: medianOf(all), variance: 1.57 / all.length };
  });
  const offset = mean(phases.map((p) => p.value));
  return detrended.map((_, i) => ({ value: phases[i % period].value - offset, variance: phases[i % period].variance }));
}

/**
 * Fills the ends a centred window cannot reach by stepping `lag` points at a time with the
 * median slope of the interior; with lag = period the periodic wobble a running median leaves
 * in a seasonal series is carried along instead of being mistaken for the trend.
 */
function extendEdges(trend: number[], lag: number): number[] {
  const out = [...trend];
  const slopes: number[] = [];
  for (let i = 0; i + lag < out.length; i++) {
    if (!Number.isNaN(out[i]) && !Number.isNaN(out[i + lag])) slopes.push((out[i + lag] - out[i]) / lag);
  }
  const slope = slopes.length > 0 ? medianOf(slopes) : 0;
  const first = out.findIndex((v) => !Number.isNaN(v));
  for (let i = first - 1; i >= 0; i--) out[i] = Number.isNaN(out[i + lag]) ? out[first] : out[i + lag] - lag * slope;
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = out[i - lag] + lag * slope;
  return out;
}

/**
 * The robust starting point: running-median trend and per-phase medians, each leaving the
 * point itself out, so its residual says how far it is from the rest.
 */
function medianFit(values: readonly number[], period: number): Fit {
  const trend = extendEdges(runningMedian(values, trendWindow(period), true), period);
  const zeros = values.map(() => 0);
  const weights = values.map(() => 1);
  if (period <= 1) return { trend, seasonal: zeros, variance: zeros, weights };
  const detrended = values.map((v, i) => v - trend[i]);
  const seasonal = zeros.slice();
  for (let phase = 0; phase < period; phase++) {
    const members = detrended.map((_, i) => i).filter((i) => i % period === phase);
    leaveOneOutMedians(members.map((i) => detrended[i])).forEach((m, j) => (seasonal[members[j]] = m));
  }
  return { trend, seasonal, variance: zeros, weights };
}

/**
 * Residuals brought to the noise's spread. A point the fit used pulled its fitted value towards
 * itself, so its residual is divided by sqrt(1 − variance); a point left out is a prediction,
 * off by the noise and the fit's own error, so by sqrt(1 + variance). Then one z cut-off is fair
 * at the ends of the series (where a local line is least sure) and in the middle alike.
 */
function standardisedResiduals(values: readonly number[], fit: Fit): number[] {
  return values.map((v, i) => {
    const r = v - fit.trend[i] - fit.seasonal[i];
    return fit.weights[i] > 0 ? r / Math.sqrt(Math.max(1 - fit.variance[i], MIN_FREEDOM)) : r / Math.sqrt(1 + fit.variance[i]);
  });
}

function outlierWeights(values: readonly number[], fit: Fit, floor: number): number[] {
  const residuals = standardisedResiduals(values, fit);
  const { center, scale } = robustScale(residuals, floor);
  return residuals.map((r) => (Math.abs(r - center) > OUTLIER_CUT * scale ? 0 : 1));
}

/** Two backfitting passes: the trend of the deseasonalised values, then the season. */
function weightedFit(values: readonly number[], period: number, weights: number[], season: readonly number[], segments: readonly Segment[]): Fit {
  const width = trendWindow(period);
  let seasonal: Smoothed[] = season.map((value) => ({ value, variance: 0 }));
  let trend: Smoothed[] = [];
  for (let pass = 0; pass < 2; pass++) {
    trend = localLinearTrend(values.map((v, i) => v - seasonal[i].value), weights, width, segments);
    if (period > 1) seasonal = seasonOf(values.map((v, i) => v - trend[i].value), weights, period);
  }
  return {
    trend: trend.map((t) => t.value), seasonal: seasonal.map((s) => s.value),
    variance: trend.map((t, i) => t.variance + seasonal[i].variance), weights,
  };
}

/** Segments split at `shiftAt` when both sides are long enough to fit alone. */
export function segmentsFor(length: number, period: number, shiftAt: number | null): Segment[] {
  const needed = minimumLength(period);
  if (shiftAt === null || shiftAt < needed || length - shiftAt < needed) return [[0, length]];
  return [[0, shiftAt], [shiftAt, length]];
}

/** Callers check `minimumLength` first. `floor` is the smallest scale worth reporting. */
export function robustDecompose(values: readonly number[], period: number, floor: number, segments: Segment[] = [[0, values.length]]): Decomposition {
  const p = Math.max(period, 1);
  let fit = medianFit(values, p);
  for (let round = 0; round < ROBUST_ROUNDS; round++) {
    fit = weightedFit(values, p, outlierWeights(values, fit, floor), fit.seasonal, segments);
  }
  const { trend, seasonal } = fit;
  return {
    trend, seasonal, residual: values.map((v, i) => v - trend[i] - seasonal[i]), standardised: standardisedResiduals(values, fit),
    period: p, trendWindow: trendWindow(p), segments: segments.map(([start]) => start),
  };
}
