/**
 * Builds the throughput batch: N requests made from the real series by resampling and perturbing
 * them deterministically (seeded by the request's index), so every run forecasts the same 10,000
 * series and none is an exact copy that a cache could answer.
 */
import { requestFor } from './opsloop-side';
import { BenchSeries, training } from './series-file';
import { gaussian, seededRandom } from './stats';

/** Shortest training part kept after trimming: M3's shortest yearly training series. */
const MIN_LENGTH = 14;

export function perturbedSeries(base: BenchSeries, index: number): number[] {
  const random = seededRandom(0x5eed + index);
  const train = training(base);
  // Drop up to a fifth of the oldest points, so lengths vary too.
  const drop = Math.min(Math.floor(random() * 0.2 * train.length), Math.max(0, train.length - MIN_LENGTH));
  const level = Math.exp(0.5 * gaussian(random));
  // 3 % multiplicative noise per point keeps the series' shape and sign (M3 values are positive).
  return train.slice(drop).map((v) => v * level * Math.exp(0.03 * gaussian(random)));
}

export function batchRequests(series: readonly BenchSeries[], count: number) {
  return Array.from({ length: count }, (_, k) => {
    const base = series[k % series.length]!;
    return requestFor(base, perturbedSeries(base, k));
  });
}
