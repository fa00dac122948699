/**
 * Samplers for the demo data, on top of the shared seeded generator, so the same seed gives the
 * same retailer on every machine and every start.
 */
import { seededRandom } from '@opsloop/analytics';

export type Rand = () => number;

/** One independent stream per (seed, a, b): a series' draws never depend on another series. */
export function streamFor(seed: number, a: number, b = 0): Rand {
  return seededRandom((seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0);
}

/** Standard normal by Box–Muller (one of the pair; the demo needs few draws). */
export function standardNormal(rand: Rand): number {
  const u = 1 - rand(); // (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * Whole units sold in a day at mean `mean`: Poisson by CDF inversion for small means, a rounded
 * normal for large ones (the two agree closely there). Never negative.
 */
export function poissonUnits(rand: Rand, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal(rand)));
  const u = rand();
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u > cdf && k < 1000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** A day factor with mean 1: real shops vary more from day to day than Poisson alone. */
export function dayFactor(rand: Rand, sigma: number): number {
  return Math.exp(sigma * standardNormal(rand) - (sigma * sigma) / 2);
}

export function between(rand: Rand, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}
