/**
 * Seasonal indices by classical decomposition: each value is compared with its centred moving
 * average (a ratio for multiplicative, a difference for additive), the comparisons are averaged
 * per season position and normalised (mean 1, or sum 0).
 */
export type IndexKind = 'multiplicative' | 'additive';

/** Centred moving average of order m (a 2×m average when m is even, so it stays centred); NaN at the ends. */
function centredMovingAverage(values: ArrayLike<number>, m: number): Float64Array {
  const n = values.length;
  const half = Math.floor(m / 2);
  const out = new Float64Array(n).fill(NaN);
  for (let t = half; t + half < n; t++) {
    let sum = 0;
    if (m % 2 === 1) {
      for (let k = t - half; k <= t + half; k++) sum += values[k];
    } else {
      sum = (values[t - half] + values[t + half]) / 2;
      for (let k = t - half + 1; k < t + half; k++) sum += values[k];
    }
    out[t] = sum / m;
  }
  return out;
}

/** Returns m indices (position i is season slot t % m); callers must pass >= 2 seasons. */
export function seasonalIndices(values: ArrayLike<number>, m: number, kind: IndexKind): Float64Array {
  const trend = centredMovingAverage(values, m);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < values.length; t++) {
    if (Number.isNaN(trend[t])) continue;
    sums[t % m] += kind === 'multiplicative' ? values[t] / trend[t] : values[t] - trend[t];
    counts[t % m] += 1;
  }
  const neutral = kind === 'multiplicative' ? 1 : 0;
  const raw = sums.map((s, i) => (counts[i] > 0 ? s / counts[i] : neutral));
  let mean = 0;
  for (const r of raw) mean += r / m;
  return raw.map((r) => (kind === 'multiplicative' ? r / mean : r - mean));
}

export function multiplicativeSeasonalIndices(values: readonly number[], m: number): number[] {
  return Array.from(seasonalIndices(values, m, 'multiplicative'));
}
