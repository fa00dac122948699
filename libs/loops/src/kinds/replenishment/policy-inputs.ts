/**
 * From the collect artifact and the loop's params to what replenishment@1 takes. The approval
 * threshold is the loop's approval rule, the one the engine applies to a decision's magnitude
 * (the order value), so the explanation says exactly when an order will wait for a person.
 */
import type { ApprovalRule } from '@opsloop/domain';
import type { ReplenishmentItem, ReplenishmentParams } from '@opsloop/policies';
import type { CollectedItem } from './replenishment-data';
import { FactorTuningParams, ReplenishmentLoopParams } from './replenishment.params';

export function policyParams(params: ReplenishmentLoopParams, approval: ApprovalRule): ReplenishmentParams {
  const threshold = approval.when === 'above' ? approval.threshold : approval.when === 'always' ? 0 : undefined;
  return {
    targetServiceLevel: params.targetServiceLevel,
    reviewPeriodDays: params.reviewPeriodDays,
    serviceLevelFactor: params.serviceLevelFactor,
    ...(params.budgetCap !== undefined ? { budgetCap: params.budgetCap } : {}),
    ...(threshold !== undefined ? { approvalThreshold: threshold } : {}),
  };
}

export function policyItem(c: CollectedItem): ReplenishmentItem {
  const m = c.master;
  return {
    sku: c.sku,
    location: c.location,
    demandHistory: c.demand,
    onHand: c.onHand,
    onOrder: c.onOrder,
    leadTimeDays: m?.leadTimeDays ?? null,
    leadTimeSdDays: m?.leadTimeSdDays ?? null,
    unitCost: m?.unitCost ?? null,
    moq: m?.moq ?? null,
    packSize: m?.packSize ?? null,
    supplier: m?.supplier ?? null,
  };
}

/** The params' tuning, or the class defaults when the loop sets none. */
export function tuningOf(params: ReplenishmentLoopParams): FactorTuningParams {
  return params.tuning ?? new FactorTuningParams();
}
