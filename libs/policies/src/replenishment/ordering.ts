/**
 * The arithmetic of an order-up-to review: inventory position, the shortfall against the
 * order-up-to level, and rounding that shortfall to what a supplier will accept.
 */

/** What is on hand or on its way, minus what is already promised to customers. */
export function inventoryPosition(onHand: number, onOrder: number, backorders = 0): number {
  return onHand + onOrder - backorders;
}

/**
 * How much is missing to reach the order-up-to level; 0 when the position is at or above it
 * (within 1e-9 units, so float dust in S never turns into a pack).
 */
export function shortfall(orderUpTo: number, position: number): number {
  return orderUpTo - position > SHORTFALL_TOLERANCE ? orderUpTo - position : 0;
}

export const SHORTFALL_TOLERANCE = 1e-9;

/**
 * The smallest whole number of packs that covers both the shortfall and the MOQ, so the result
 * is always a pack multiple, never below the MOQ, and never below what was needed. Nothing is
 * needed → 0 (the MOQ only binds when something is ordered). Pack sizes below 1 (fractional
 * units such as kilograms) are honoured as given.
 */
export function roundOrderQuantity(needed: number, packSize = 1, moq = 0): number {
  if (!(needed > 0)) return 0;
  const pack = packSize > 0 ? packSize : 1;
  const target = Math.max(needed, moq);
  // The small tolerance keeps 3 × 0.1 = 0.30000000000000004 from becoming four packs.
  const packs = Math.max(1, Math.ceil(target / pack - 1e-9));
  return roundTo(packs * pack, 9);
}

/**
 * The largest quantity that is a pack multiple, at least the MOQ and costs at most `budget`;
 * 0 when not even that much fits.
 */
export function largestAffordable(budget: number, unitCost: number, packSize = 1, moq = 0): number {
  if (unitCost <= 0) return Number.POSITIVE_INFINITY;
  const pack = packSize > 0 ? packSize : 1;
  let packs = Math.floor(budget / unitCost / pack + 1e-9);
  // The tolerance above may admit one pack too many by a rounding hair: the cap itself is exact.
  while (packs > 0 && roundTo(packs * pack, 9) * unitCost > budget) packs -= 1;
  const quantity = roundTo(packs * pack, 9);
  return quantity > 0 && quantity >= moq ? quantity : 0;
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
