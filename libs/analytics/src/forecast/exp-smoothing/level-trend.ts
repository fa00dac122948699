/**
 * The level/trend smoothing kernel behind SES, Holt and damped Holt: the least-squares objective
 * for given weights, and the replay that emits forecasts from every origin.
 *
 * Why one pass: one-step forecasts are linear in the initial level and trend, so while running the
 * recursion from a provisional start (y[0], 0) we also run it on the unit starts (with zero data)
 * and accumulate a 2×2 normal system. Solving it gives the SSE-optimal initial states and the SSE
 * itself without a second pass or any allocation, which keeps each optimiser step cheap.
 */
import { dampedSteps } from './series';

export interface LevelTrendWeights {
  alpha: number;
  /** Share of each level change that feeds the trend; ignored without a trend. */
  beta: number;
  /** Trend damping; 1 = undamped. */
  phi: number;
}

export interface LevelTrendStart {
  level0: number;
  trend0: number;
  sse: number;
}

interface Normal {
  ee: number;
  pp: number;
  pq: number;
  qq: number;
  pe: number;
  qe: number;
}

/** Level only: residuals of the run from y[0] and the response to a unit initial level. */
function accumulateLevel(y: Float64Array, alpha: number): Normal {
  let ee = 0;
  let pp = 0;
  let pe = 0;
  let l = y[0];
  let p = 1;
  for (let t = 0; t < y.length; t++) {
    const e = y[t] - l;
    ee += e * e;
    pp += p * p;
    pe += p * e;
    l += alpha * e;
    p *= 1 - alpha;
  }
  return { ee, pp, pq: 0, qq: 0, pe, qe: 0 };
}

/**
 * Level and trend: residuals of the run from (y[0], 0), and the one-step responses to a unit
 * initial level (pl, pb) and a unit initial trend (ql, qb), run on zero data.
 */
function accumulateTrend(y: Float64Array, alpha: number, beta: number, phi: number): Normal {
  let ee = 0, pp = 0, pq = 0, qq = 0, pe = 0, qe = 0;
  let l = y[0], b = 0;
  let pl = 1, pb = 0, ql = 0, qb = 1;
  const keep = 1 - alpha;
  const carry = (1 - beta) * phi;
  for (let t = 0; t < y.length; t++) {
    const f = l + phi * b;
    const e = y[t] - f;
    const rp = pl + phi * pb;
    const rq = ql + phi * qb;
    ee += e * e;
    pp += rp * rp;
    pq += rp * rq;
    qq += rq * rq;
    pe += rp * e;
    qe += rq * e;
    const lNext = f + alpha * e;
    const plNext = keep * rp;
    const qlNext = keep * rq;
    b = beta * (lNext - l) + carry * b;
    pb = beta * (plNext - pl) + carry * pb;
    qb = beta * (qlNext - ql) + carry * qb;
    l = lNext;
    pl = plNext;
    ql = qlNext;
  }
  return { ee, pp, pq, qq, pe, qe };
}

/** SSE-optimal initial level (and trend) for the weights, with the SSE they give. */
export function optimalStart(y: Float64Array, w: LevelTrendWeights, trend: boolean): LevelTrendStart {
  const s = trend ? accumulateTrend(y, w.alpha, w.beta, w.phi) : accumulateLevel(y, w.alpha);
  const det = s.pp * s.qq - s.pq * s.pq;
  if (trend && det > 1e-12 * s.pp * s.qq) {
    const dl = (s.qq * s.pe - s.pq * s.qe) / det;
    const db = (s.pp * s.qe - s.pq * s.pe) / det;
    return { level0: y[0] + dl, trend0: db, sse: Math.max(0, s.ee - dl * s.pe - db * s.qe) };
  }
  // The data cannot separate the initial trend from the level here: correct the level only.
  const dl = s.pp > 0 ? s.pe / s.pp : 0;
  return { level0: y[0] + dl, trend0: 0, sse: Math.max(0, s.ee - dl * s.pe) };
}

/** Replays the recursion from (level0, trend0), writing forecasts from each origin >= first. */
export function rollLevelTrend(
  y: Float64Array,
  w: LevelTrendWeights,
  start: { level0: number; trend0: number },
  first: number,
  h: number,
  out: Float64Array,
): void {
  const steps = new Float64Array(h);
  for (let k = 0; k < h; k++) steps[k] = dampedSteps(w.phi, k + 1);
  let l = start.level0;
  let b = start.trend0;
  for (let t = 0; t <= y.length; t++) {
    if (t >= first) {
      const row = (t - first) * h;
      for (let k = 0; k < h; k++) out[row + k] = l + steps[k] * b;
    }
    if (t === y.length) break;
    const f = l + w.phi * b;
    const lNext = f + w.alpha * (y[t] - f);
    b = w.beta * (lNext - l) + (1 - w.beta) * w.phi * b;
    l = lNext;
  }
}
