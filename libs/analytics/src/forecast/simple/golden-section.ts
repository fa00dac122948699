/**
 * Golden-section search: the one-dimensional minimiser the simple methods use to pick their
 * smoothing constant. Kept local because the loss curves here are cheap, smooth and unimodal
 * enough that a bracketing search beats pulling in a general optimiser.
 */
const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** Returns the x in [lo, hi] that minimises `loss`, to within `tolerance`. Deterministic. */
export function goldenSectionMinimise(
  loss: (x: number) => number,
  lo: number,
  hi: number,
  tolerance = 1e-4,
): number {
  let a = lo;
  let b = hi;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  while (b - a > tolerance) {
    // Ties go left so a flat loss (e.g. a constant series) still yields one reproducible answer.
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = loss(d);
    }
  }
  const mid = (a + b) / 2;
  // The interval ends are never evaluated by the loop; check them so a boundary optimum
  // (alpha = 1 on a random walk) is reached exactly rather than approximately.
  return [lo, mid, hi].reduce((best, x) => (loss(x) < loss(best) ? x : best), mid);
}
