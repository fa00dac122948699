/**
 * Multiplicative seasonal indices by classical decomposition: the ratio of each value to its
 * centred moving average, averaged per season position and normalised to mean 1.
 */
import { mean } from 'simple-statistics';

/** Centred moving average of order m (a 2×m average when m is even, so it stays centred). */
function centredMovingAverage(values: readonly number[], m: number): number[] {
  const half = Math.floor(m / 2);
  return values.map((_, t) => {
    if (t < half || t + half >= values.length) return NaN;
    if (m % 2 === 1) return mean(values.slice(t - half, t + half + 1));
    let sum = (values[t - half] + values[t + half]) / 2;
    for (let k = t - half + 1; k < t + half; k++) sum += values[k];
    return sum / m;
  });
}

/** Returns m indices (position i is season slot t % m); callers must pass >= 2 seasons. */
export function multiplicativeSeasonalIndices(values: readonly number[], m: number): number[] {
  const trend = centredMovingAverage(values, m);
  const ratios: number[][] = Array.from({ length: m }, () => []);
  values.forEach((v, t) => {
    if (!Number.isNaN(trend[t])) ratios[t % m].push(v / trend[t]);
  });
  const raw = ratios.map((r) => (r.length > 0 ? mean(r) : 1));
  const scale = mean(raw);
  return raw.map((s) => s / scale);
}
