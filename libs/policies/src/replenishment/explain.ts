/**
 * The planner-facing explanation of a replenishment decision: every number on the way from the
 * demand history to the quantity, in the order they were computed.
 */
import { ReplenishmentInputs } from './types';

export function num(x: number, decimals = 2): string {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? '0' : String(r);
}

function subject(i: ReplenishmentInputs): string {
  return `${i.sku} @ ${i.location}`;
}

function positionText(i: ReplenishmentInputs): string {
  return `inventory position ${num(i.inventoryPosition)} = ${num(i.onHand ?? 0)} on hand + ${num(i.onOrder)} on order − ${num(i.backorders)} backorders`;
}

function forecastText(i: ReplenishmentInputs): string {
  const season = i.seasonPeriod && i.seasonPeriod > 1 ? `, season ${i.seasonPeriod} d` : '';
  const mase = i.backtestMase === null ? '' : `, MASE ${num(i.backtestMase)}`;
  const backtest = i.backtestOrigins === null ? 'no backtest' : `backtest over ${i.backtestOrigins} origins${mase}`;
  return `forecast demand over lead time ${num(i.leadTimeDays ?? 0)} d + review ${i.reviewPeriodDays} d = ${num(i.horizonDays ?? 0)} d ` +
    `is ${num(i.forecastOverHorizon ?? 0)} units (${num(i.dailyDemand ?? 0)}/day; method ${i.forecastMethod}${season}; ${i.historyDays} days of history; ${backtest})`;
}

function safetyText(i: ReplenishmentInputs, targetServiceLevel: number): string {
  const sigmaL = i.leadTimeSdDays ? ` and lead-time sd ${num(i.leadTimeSdDays)} d × ${num(i.dailyDemand ?? 0)}/day` : '';
  const level = `${num(targetServiceLevel * 100, 2)}%`;
  const periodDemand = (i.dailyDemand ?? 0) * i.reviewPeriodDays;
  return `forecast error over the horizon σ_H = ${num(i.forecastErrorSd ?? 0)} units (${i.forecastErrorSource})${sigmaL}: σ = ${num(i.protectionSd ?? 0)}; ` +
    `z = ${num(i.z ?? 0, 3)}, the smaller of ${num(i.zFillRate ?? 0, 3)} (fill rate ${level}: at most ${num(periodDemand * (1 - targetServiceLevel))} ` +
    `of the ${num(periodDemand)} units a review period sells short) and ${num(i.zCycle ?? 0, 3)} (${level} of review periods without a stockout); ` +
    `safety stock = factor ${num(i.serviceLevelFactor, 3)} × z ${num(i.z ?? 0, 3)} × σ ${num(i.protectionSd ?? 0)} = ${num(i.safetyStock ?? 0)}`;
}

function quantityText(i: ReplenishmentInputs, quantity: number, budgetNote: string): string {
  const cost = i.unitCost ?? 0;
  const rounding = `shortfall ${num(i.shortfall ?? 0)} rounded up to pack ${num(i.packSize)} and MOQ ${num(i.moq)} = ${num(i.roundedQuantity ?? 0)}`;
  return `${rounding}${budgetNote}; order ${num(quantity)} units × ${num(cost)} = ${num(quantity * cost)}`;
}

/** The full explanation once the quantity is final. */
export function explainComputed(i: ReplenishmentInputs, targetServiceLevel: number, quantity: number, budgetNote: string): string {
  const parts = [
    `${subject(i)}: ${forecastText(i)}`,
    safetyText(i, targetServiceLevel),
    `order-up-to level S = ${num(i.forecastOverHorizon ?? 0)} + ${num(i.safetyStock ?? 0)} = ${num(i.orderUpTo ?? 0)}`,
    positionText(i),
  ];
  if ((i.shortfall ?? 0) <= 0) {
    parts.push(`the position is at or above S: no order`);
  } else {
    const cover = i.daysOfCover === null ? 'no forecast demand' : `${num(i.daysOfCover, 1)} days of cover against a lead time of ${num(i.leadTimeDays ?? 0)} d`;
    parts.push(`${cover}; ${quantityText(i, quantity, budgetNote)}`);
  }
  return parts.join('; ') + '.';
}

/** Explanation for an item the policy could not compute: say what was missing and what was known. */
export function explainSkipped(i: ReplenishmentInputs, reason: string): string {
  const known = [
    `lead time ${i.leadTimeDays === null ? 'unknown' : `${num(i.leadTimeDays)} d`}`,
    `unit cost ${i.unitCost === null ? 'unknown' : num(i.unitCost)}`,
    `${i.historyDays} days of demand history`,
    positionText(i),
  ];
  return `${subject(i)}: ${reason} (no quantity is guessed); ${known.join('; ')}.`;
}
