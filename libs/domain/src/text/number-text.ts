/**
 * Numbers as people read them in explanations and status notes: money to the cent, quantities
 * without binary noise (104.7, never 104.69999999999999), and "1 unit" but "2 units". Pure, so
 * policies, the engine and the API word numbers the same way.
 */

/** Significant digits kept by `tidyNumber`: far more than any business figure, fewer than float noise. */
const SIGNIFICANT = 12;

/**
 * The number without binary floating-point noise: 0.1 + 0.2 → 0.3, 3 × 34.9 → 104.7. For
 * figures that are stored and compared, not only printed (a magnitude, an order value).
 */
export function tidyNumber(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  return Number(x.toPrecision(SIGNIFICANT));
}

/**
 * `x` rounded half away from zero to `decimals` places. The scaled value is tidied first, so a
 * decimal half that binary cannot hold exactly (1.005 is 1.00499999…) still rounds up.
 */
export function roundTo(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  const scaled = Math.round(Math.abs(tidyNumber(x * f)));
  const r = tidyNumber((Math.sign(x) * scaled) / f);
  return r === 0 ? 0 : r;
}

/** Money: always two decimals ("205.80", "3000.00"). */
export function formatMoney(x: number): string {
  return roundTo(x, 2).toFixed(2);
}

/**
 * A quantity: at most `decimals` places and no trailing zeros ("42", "6.8"). Below 1 it keeps
 * three significant digits instead, so an error rate of 0.00042 does not print as "0".
 */
export function formatQuantity(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  // Capped: past 15 places a value is noise to a reader (and 10^places would overflow).
  const places = abs > 0 && abs < 1 ? Math.min(15, Math.max(decimals, 2 - Math.floor(Math.log10(abs)))) : decimals;
  return String(roundTo(x, places));
}

/** "1 unit", "2 units", "0.5 units", "1 day": singular exactly when the printed number is 1. */
export function formatCount(x: number, singular: string, plural = `${singular}s`, decimals = 2): string {
  const text = formatQuantity(x, decimals);
  return `${text} ${text === '1' || text === '-1' ? singular : plural}`;
}

/** A share as a percentage: 0.95 → "95%", 0.975 → "97.5%". */
export function formatPercent(share: number, decimals = 2): string {
  return `${formatQuantity(share * 100, decimals)}%`;
}

/** An instant to the second, as a note prints it: "2027-01-02T02:00:05Z". */
export function formatInstant(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
