/**
 * The per-run budget cap: orders are funded in order of stockout risk (fewest days of cover
 * beyond the lead time first), so when money runs out it is the safest items that wait. An order
 * that no longer fits is cut to the largest pack multiple that does (still at least the MOQ), or
 * dropped when not even that fits; cheaper, lower-risk orders behind it may still be funded.
 */
import { formatMoney } from '@opsloop/domain';
import { ItemPlan } from './item-plan';
import { largestAffordable } from './ordering';

export interface Funded {
  quantity: number;
  /** '' when the full quantity was funded. */
  budgetNote: string;
}

/** Ties in risk go to the larger order, then to sku/location, so a run is reproducible. */
function byRisk(a: ItemPlan, b: ItemPlan): number {
  if (a.riskMargin !== b.riskMargin) return a.riskMargin < b.riskMargin ? -1 : 1;
  const value = (p: ItemPlan) => p.quantity * (p.inputs.unitCost ?? 0);
  if (value(a) !== value(b)) return value(b) - value(a);
  const key = (p: ItemPlan) => `${p.inputs.sku}\u0000${p.inputs.location}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** Funded quantity per plan, in the plans' order. Without a cap every plan is funded in full. */
export function fundOrders(plans: readonly ItemPlan[], budgetCap: number | undefined): Funded[] {
  const funded: Funded[] = plans.map((p) => ({ quantity: p.quantity, budgetNote: '' }));
  if (budgetCap === undefined) return funded;
  let remaining = budgetCap;
  const ranked = plans.map((plan, index) => ({ plan, index })).filter(({ plan }) => plan.quantity > 0);
  ranked.sort((a, b) => byRisk(a.plan, b.plan));
  for (const { plan, index } of ranked) {
    const cost = plan.inputs.unitCost ?? 0;
    const wanted = plan.quantity;
    const affordable = Math.min(wanted, largestAffordable(remaining, cost, plan.inputs.packSize, plan.inputs.moq));
    funded[index] = { quantity: affordable, budgetNote: note(wanted, affordable, remaining) };
    remaining -= affordable * cost;
  }
  return funded;
}

function note(wanted: number, affordable: number, remaining: number): string {
  if (affordable === wanted) return '';
  const left = formatMoney(remaining);
  if (affordable === 0) return `, but only ${left} of the run's budget cap was left: nothing fits`;
  return `, cut to ${affordable} to fit the ${left} left of the run's budget cap`;
}
