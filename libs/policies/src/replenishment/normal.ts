/**
 * The inverse of the standard normal distribution function: the safety factor z for a service
 * level. Acklam's rational approximation (relative error below 1.2e-9 over (0, 1)), which is far
 * tighter than anything the demand data can tell apart and needs no iteration. It rises with p
 * except for last-bit rounding between levels less than about 1e-15 apart.
 */

// Central region: a ratio of polynomials in r = (p - 1/2)^2.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
// Tails: a ratio of polynomials in q = sqrt(-2 ln p).
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Horner evaluation; `leadingOne` appends the implicit constant term 1 of the denominators. */
function poly(coefficients: readonly number[], x: number, leadingOne = false): number {
  let acc = 0;
  for (const c of coefficients) acc = acc * x + c;
  return leadingOne ? acc * x + 1 : acc;
}

function lowerTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return poly(C, q) / poly(D, q, true);
}

/** z with P(Z ≤ z) = p for a standard normal Z; p must lie strictly between 0 and 1. */
export function inverseNormal(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`inverseNormal needs 0 < p < 1, got ${p}`);
  if (p < P_LOW) return lowerTail(p);
  if (p > 1 - P_LOW) return -lowerTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / poly(B, r, true);
}

export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * P(Z > z) through erfc, with the Chebyshev fit to erfc in Numerical Recipes (fractional error
 * below 1.2e-7 everywhere), plenty for a count of units short.
 */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-x * x + poly);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Standard normal loss G(z) = E[(Z − z)⁺]: expected units short per unit of σ when stocking z·σ above the mean. */
export function normalLoss(z: number): number {
  return Math.max(0, normalDensity(z) - z * normalUpperTail(z));
}

/**
 * The smallest z ≥ 0 whose expected shortfall G(z) is at most `g`; 0 when even no safety stock
 * meets it. Bisection, so a smaller `g` never gives a smaller z (both searches take the same
 * steps until the first comparison that differs, after which the smaller g's lies to the right).
 */
export function inverseNormalLoss(g: number): number {
  if (!(g < normalLoss(0))) return 0;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 64; i++) {
    const mid = (lo + hi) / 2;
    if (normalLoss(mid) > g) lo = mid;
    else hi = mid;
  }
  return hi;
}
