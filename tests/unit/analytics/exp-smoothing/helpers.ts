// Shared series generators and assertions for the exponential-smoothing specs.
export const range = (n: number) => Array.from({ length: n }, (_, t) => t);

export function expectRelativelyClose(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    // The floor keeps a value that should be exactly 0 from turning rounding noise into a huge ratio.
    const scale = Math.max(Math.abs(expected[i]), 1e-6);
    expect(Math.abs(a - expected[i]) / scale).toBeLessThan(tolerance);
  });
}

/** Deterministic pseudo-noise in [-1, 1] so specs do not depend on Math.random. */
export function noise(n: number, seed = 1): number[] {
  let s = seed;
  return range(n).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

export function expectWithin(value: number, lower: number, upper: number): void {
  expect(value).toBeGreaterThanOrEqual(lower);
  expect(value).toBeLessThanOrEqual(upper);
}
