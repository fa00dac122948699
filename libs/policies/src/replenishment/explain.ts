/**
 * The planner-facing explanation of a replenishment decision. The headline gives the business
 * reason in an operations person's words (how much, what it costs, how long the stock lasts
 * against the lead time); the details then carry every number on the way from the demand
 * history to the quantity, in the order they were computed.
 */
import { formatCount, formatMoney, formatPercent, formatQuantity as qty } from '@opsloop/domain';
import { ReplenishmentInputs } from './types';

export interface Explanation {
  /** The business reason, one sentence. */
  headline: string;
  /** The statistics behind it. */
  details: string;
}

/** Which headline a computed item gets; the policy knows it from the plan and the budget. */
export type Outcome =
  | { kind: 'order'; quantity: number; value: number; cutFrom: number | null }
  | { kind: 'no-order' }
  | { kind: 'unfunded'; wanted: number };

const units = (x: number) => formatCount(x, 'unit');
const days = (x: number) => formatCount(x, 'day');

/** "15 on hand plus 12 on order minus 3 backordered", and whether it takes a plural verb. */
function stockPhrase(i: ReplenishmentInputs): { text: string; plural: boolean } {
  const parts = [`${qty(i.onHand ?? 0)} on hand`];
  if (i.onOrder !== 0) parts.push(`plus ${qty(i.onOrder)} on order`);
  if (i.backorders !== 0) parts.push(`minus ${qty(i.backorders)} backordered`);
  return { text: parts.join(' '), plural: parts.length > 1 || qty(i.onHand ?? 0) !== '1' };
}

function horizonPhrase(i: ReplenishmentInputs): string {
  return `a lead time of ${days(i.leadTimeDays ?? 0)} plus a review period of ${days(i.reviewPeriodDays)}`;
}

/** Why stock is short: how long it lasts against the time an order must cover. */
function shortBecause(i: ReplenishmentInputs): string {
  const stock = stockPhrase(i);
  if (i.daysOfCover === null) {
    return `${stock.text} ${stock.plural ? 'are' : 'is'} below the order-up-to level of ${units(i.orderUpTo ?? 0)} (no demand is forecast: safety stock only)`;
  }
  const cover = `${stock.text} ${stock.plural ? 'cover' : 'covers'} ${days(roundDown1(i.daysOfCover))} against ${horizonPhrase(i)}`;
  // Stock that outlasts the horizon is short only of the safety stock: say so, or the reason reads wrong.
  const outlasts = i.daysOfCover >= (i.horizonDays ?? 0);
  return outlasts ? `${cover}, but not the safety stock of ${units(i.safetyStock ?? 0)} on top` : cover;
}

/** Cover is rounded down: "6.8 days" must never promise more stock than there is. */
function roundDown1(x: number): number {
  return Math.floor(x * 10 + 1e-9) / 10;
}

function headlineFor(i: ReplenishmentInputs, o: Outcome): string {
  const cost = i.unitCost ?? 0;
  switch (o.kind) {
    case 'order': {
      const cut = o.cutFrom === null ? '' : `, cut from ${qty(o.cutFrom)} to fit the budget cap,`;
      return `Order ${units(o.quantity)} (${formatMoney(o.value)})${cut} because ${shortBecause(i)}.`;
    }
    case 'unfunded':
      return `Not ordered: the run's budget cap was used up before this item, which needs ${units(o.wanted)} (${formatMoney(o.wanted * cost)}) ` +
        `because ${shortBecause(i)}.`;
    case 'no-order': {
      const stock = stockPhrase(i);
      return `No order: ${stock.text} ${stock.plural ? 'reach' : 'reaches'} the order-up-to level of ${units(i.orderUpTo ?? 0)} ` +
        `(demand over ${horizonPhrase(i)}, plus safety stock).`;
    }
  }
}

function positionText(i: ReplenishmentInputs): string {
  return `inventory position ${qty(i.inventoryPosition)} = ${qty(i.onHand ?? 0)} on hand + ${qty(i.onOrder)} on order − ${qty(i.backorders)} backorders`;
}

function forecastText(i: ReplenishmentInputs): string {
  const season = i.seasonPeriod && i.seasonPeriod > 1 ? `, season ${days(i.seasonPeriod)}` : '';
  const mase = i.backtestMase === null ? '' : `, MASE ${qty(i.backtestMase)}`;
  const backtest = i.backtestOrigins === null ? 'no backtest' : `backtest over ${formatCount(i.backtestOrigins, 'origin')}${mase}`;
  return `Forecast: ${units(i.forecastOverHorizon ?? 0)} over lead time ${days(i.leadTimeDays ?? 0)} + review ${days(i.reviewPeriodDays)} ` +
    `= ${days(i.horizonDays ?? 0)} (${qty(i.dailyDemand ?? 0)}/day; method ${i.forecastMethod}${season}; ${days(i.historyDays)} of history; ${backtest}).`;
}

function safetyText(i: ReplenishmentInputs, targetServiceLevel: number): string {
  const sigmaL = i.leadTimeSdDays ? ` and lead-time sd ${days(i.leadTimeSdDays)} × ${qty(i.dailyDemand ?? 0)}/day` : '';
  const level = formatPercent(targetServiceLevel);
  const periodDemand = (i.dailyDemand ?? 0) * i.reviewPeriodDays;
  return `Safety stock: ${qty(i.safetyStock ?? 0)} = factor ${qty(i.serviceLevelFactor, 3)} × z ${qty(i.z ?? 0, 3)} × σ ${qty(i.protectionSd ?? 0)}; ` +
    `forecast error over the horizon σ_H = ${units(i.forecastErrorSd ?? 0)} (${i.forecastErrorSource})${sigmaL}: σ = ${qty(i.protectionSd ?? 0)}; ` +
    `z is the smaller of ${qty(i.zFillRate ?? 0, 3)} (fill rate ${level}: at most ${qty(periodDemand * (1 - targetServiceLevel))} ` +
    `of the ${units(periodDemand)} a review period sells short) and ${qty(i.zCycle ?? 0, 3)} (${level} of review periods without a stockout).`;
}

function levelText(i: ReplenishmentInputs, quantity: number, budgetNote: string): string {
  const level = `Order-up-to level S = ${qty(i.forecastOverHorizon ?? 0)} + ${qty(i.safetyStock ?? 0)} = ${qty(i.orderUpTo ?? 0)}; ${positionText(i)}`;
  if ((i.shortfall ?? 0) <= 0) return `${level}: at or above S, no order.`;
  const cost = i.unitCost ?? 0;
  const rounding = `shortfall ${qty(i.shortfall ?? 0)} rounded up to pack ${qty(i.packSize)} and MOQ ${qty(i.moq)} = ${qty(i.roundedQuantity ?? 0)}`;
  return `${level}; ${rounding}${budgetNote}; ${units(quantity)} × ${formatMoney(cost)} = ${formatMoney(quantity * cost)}.`;
}

/** The explanation of an item whose quantity was computed (ordered, not needed, or not funded). */
export function explainComputed(i: ReplenishmentInputs, targetServiceLevel: number, outcome: Outcome, quantity: number, budgetNote: string): Explanation {
  return {
    headline: headlineFor(i, outcome),
    details: [forecastText(i), safetyText(i, targetServiceLevel), levelText(i, quantity, budgetNote)].join(' '),
  };
}

/** An item the policy could not compute: say what was missing and what was known. */
export function explainSkipped(i: ReplenishmentInputs, reason: string): Explanation {
  const known = [
    `lead time ${i.leadTimeDays === null ? 'unknown' : days(i.leadTimeDays)}`,
    `unit cost ${i.unitCost === null ? 'unknown' : formatMoney(i.unitCost)}`,
    `${days(i.historyDays)} of demand history`,
    positionText(i),
  ];
  return { headline: `${capitalise(reason)} (no quantity is guessed).`, details: `Known: ${known.join('; ')}.` };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
