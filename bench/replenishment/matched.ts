/**
 * "At equal fill rate": the contract's baseline serves far less demand than opsloop, so its
 * stock is not a like-for-like yardstick. This raises the baseline's safety multiplier (1.65 in
 * the contract) step by step until it serves at least a given share of demand, and reports the
 * stock it then holds. Only the bench asks this; the CLI's baseline is the contract's.
 */
import { ItemTotals, Scenario, simulatePolicy, staticMinMaxPolicy, STATIC_MINMAX_K, summarise } from '@opsloop/policies';

const K_STEP = 0.25;
const K_MAX = 12;

export interface Matched {
  /** null when no multiplier up to K_MAX reaches the fill rate. */
  k: number | null;
  items: ItemTotals[];
}

export function baselineAt(scenario: Scenario, k: number): ItemTotals[] {
  return simulatePolicy(scenario.items, scenario, staticMinMaxPolicy(scenario.warmupDays, scenario.reviewPeriodDays, k));
}

export function matchedBaseline(scenario: Scenario, fillRate: number): Matched {
  let items: ItemTotals[] = [];
  for (let k = STATIC_MINMAX_K; k <= K_MAX + 1e-9; k += K_STEP) {
    items = baselineAt(scenario, k);
    if (summarise('static-minmax', items).fillRate >= fillRate) return { k: Math.round(k * 100) / 100, items };
  }
  return { k: null, items };
}
