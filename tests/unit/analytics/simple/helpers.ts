import { seededRandom } from '@opsloop/analytics';

export { seededRandom };

/** Approximately standard-normal noise (Box–Muller) from a seeded uniform source. */
export function gaussianNoise(seed: number, length: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length }, () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  });
}
