// Deterministic noise for specs: a seeded PRNG so "noisy" fixtures are identical on every run.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately standard-normal noise (Box–Muller) from a seeded uniform source. */
export function gaussianNoise(seed: number, length: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length }, () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  });
}
