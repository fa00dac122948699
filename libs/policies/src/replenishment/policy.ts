/**
 * replenishment@1: a periodic-review order-up-to policy whose levels come from a demand forecast
 * and its measured error, run over every item+location of a loop run at once.
 *
 * For each item, with L the lead time, R the review period and H = L + R (the time an order now
 * must cover: until the order after the next review arrives):
 * - D_H = Σ of the `auto` forecast's point values over the next H days of daily demand (weekly
 *   seasonality and the method are auto's choice), d = D_H / H;
 * - σ_H = the forecast's measured error over those H days: per step h, σ_h is read back from the
 *   prediction interval `auto` builds from its rolling-origin backtest errors (upper − point =
 *   1.96·σ_h at level 0.95), combined as σ_H = √Σσ_h² (safety-stock.ts says what that misses);
 * - σ = √(σ_H² + d²·σ_L²), with σ_L the lead-time standard deviation in days where the item
 *   master has it (0 otherwise): a lead time one σ_L late needs d·σ_L more units;
 * - z: the target is a fill rate (the share of demand served from stock, which is what the
 *   outcome and tune steps measure), so z is the smallest z ≥ 0 with σ·G(z) ≤ (1 − target)·d·R
 *   (G the standard normal loss: expected units short per review period), capped at the
 *   cycle-service z = Φ⁻¹(target) so a very slow mover is not stocked for every last unit;
 * - SS = f · z · σ, f the service-level factor that the tune step moves within bounds;
 * - S = D_H + SS, IP = on hand + on order − backorders;
 * - when IP < S: order S − IP rounded up to whole packs and at least the MOQ; else nothing.
 * Orders are then funded within the run's budget cap by stockout risk (see budget.ts) and marked
 * for approval when their value exceeds the approval threshold. Items without a lead time or a
 * unit cost are not ordered, with that reason: the policy never guesses master data.
 */
import { fundOrders } from './budget';
import { tidyNumber } from '@opsloop/domain';
import { explainComputed, Explanation, explainSkipped, Outcome } from './explain';
import { ItemPlan, planItem } from './item-plan';
import {
  DemandForecaster,
  REPLENISHMENT_POLICY_VERSION,
  ReplenishmentDecision,
  ReplenishmentItem,
  ReplenishmentParams,
  ReplenishmentRun,
} from './types';

export function decideReplenishment(
  items: readonly ReplenishmentItem[],
  params: ReplenishmentParams,
  forecast: DemandForecaster,
): ReplenishmentRun {
  assertParams(params);
  const plans = items.map((item) => planItem(item, params, forecast));
  const funded = fundOrders(plans, params.budgetCap);
  const decisions = plans.map((plan, i) => toDecision(plan, funded[i]!.quantity, funded[i]!.budgetNote, params));
  const totalValue = tidyNumber(decisions.reduce((sum, d) => sum + d.value, 0));
  return { policyVersion: REPLENISHMENT_POLICY_VERSION, params: { ...params }, decisions, totalValue };
}

function toDecision(plan: ItemPlan, quantity: number, budgetNote: string, params: ReplenishmentParams): ReplenishmentDecision {
  const { inputs } = plan;
  const base = { sku: inputs.sku, location: inputs.location, inputs };
  const explained = (e: Explanation) => ({ ...e, explanation: `${e.headline} ${e.details}` });
  const computed = (outcome: Outcome) => explained(explainComputed(inputs, params.targetServiceLevel, outcome, quantity, budgetNote));
  if (plan.skipReason) {
    return { ...base, decision: 'not-ordered', reason: plan.skipReason, quantity: 0, value: 0, needsApproval: false, ...explained(explainSkipped(inputs, plan.skipReason)) };
  }
  if (plan.quantity === 0) {
    return { ...base, decision: 'no-order', reason: 'inventory position at or above the order-up-to level', quantity: 0, value: 0,
      needsApproval: false, ...computed({ kind: 'no-order' }) };
  }
  if (quantity === 0) {
    return { ...base, decision: 'not-ordered', reason: 'not ordered: budget cap reached', quantity: 0, value: 0, needsApproval: false,
      ...computed({ kind: 'unfunded', wanted: plan.quantity }) };
  }
  // Stored without float noise (3 × 34.9 is 104.7, not 104.69999999999999); text rounds to cents.
  const value = tidyNumber(quantity * (inputs.unitCost ?? 0));
  const needsApproval = params.approvalThreshold !== undefined && value > params.approvalThreshold;
  const cut = quantity < plan.quantity;
  const reason = cut ? 'below the order-up-to level; cut to fit the budget cap' : 'below the order-up-to level';
  return { ...base, decision: 'order', reason, quantity, value, needsApproval, ...computed({ kind: 'order', quantity, value, cutFrom: cut ? plan.quantity : null }) };
}

/** Params come validated from the loop's DTO; this guards the maths against a direct caller. */
function assertParams(p: ReplenishmentParams): void {
  const bad = (field: string, rule: string) => {
    throw new RangeError(`replenishment params: ${field} ${rule}`);
  };
  if (!(p.targetServiceLevel >= 0.5 && p.targetServiceLevel < 1)) bad('targetServiceLevel', 'must be at least 0.5 and below 1');
  if (!(Number.isFinite(p.reviewPeriodDays) && p.reviewPeriodDays > 0)) bad('reviewPeriodDays', 'must be a positive number of days');
  if (!(Number.isFinite(p.serviceLevelFactor) && p.serviceLevelFactor > 0)) bad('serviceLevelFactor', 'must be a positive number');
  if (p.budgetCap !== undefined && !(p.budgetCap >= 0)) bad('budgetCap', 'must be zero or more');
  if (p.approvalThreshold !== undefined && !(p.approvalThreshold >= 0)) bad('approvalThreshold', 'must be zero or more');
}
