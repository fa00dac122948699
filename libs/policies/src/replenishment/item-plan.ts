/**
 * One item+location's order-up-to computation, before the run-wide budget is applied: validate
 * the master data, forecast demand over lead time + review period, size the safety stock, and
 * compare the order-up-to level with the inventory position.
 */
import { inventoryPosition, roundOrderQuantity, shortfall } from './ordering';
import { horizonError, protectionSd, safetyFactor, safetyStock } from './safety-stock';
import { DemandForecaster, DemandForecastRequest, DemandForecastResult, ReplenishmentInputs, ReplenishmentItem, ReplenishmentParams } from './types';

/** Interval level asked of `forecast`; the error read back from it does not depend on it. */
export const FORECAST_LEVEL = 0.95;

export interface ItemPlan {
  inputs: ReplenishmentInputs;
  /** Set when the item cannot be planned: the decision's reason, starting "not ordered: ". */
  skipReason: string | null;
  /** Pack- and MOQ-rounded quantity before the budget; 0 when no order is needed. */
  quantity: number;
  /** Days of cover left beyond the lead time: the lower, the sooner the shelf runs empty. */
  riskMargin: number;
}

const isKnown = (x: number | null | undefined): x is number => x !== null && x !== undefined && !Number.isNaN(x);

/** Missing or unusable master data, in the words the ledger records; null when all is there. */
export function masterDataProblem(item: ReplenishmentItem): string | null {
  const missing: string[] = [];
  const invalid: string[] = [];
  const check = (value: number | null | undefined, name: string) => {
    if (!isKnown(value)) missing.push(name);
    else if (!Number.isFinite(value) || value < 0) invalid.push(`invalid ${name} ${value}`);
  };
  check(item.leadTimeDays, 'lead time');
  check(item.unitCost, 'unit cost');
  check(item.onHand, 'on-hand stock');
  const problems = [...(missing.length > 0 ? [`missing ${missing.join(' and ')}`] : []), ...invalid];
  if (problems.length > 0) return `not ordered: ${problems.join(' and ')}`;
  if (item.demandHistory.length === 0) return 'not ordered: no demand history';
  return null;
}

function baseInputs(item: ReplenishmentItem, params: ReplenishmentParams): ReplenishmentInputs {
  const backorders = item.backorders ?? 0;
  return {
    sku: item.sku,
    location: item.location,
    onHand: isKnown(item.onHand) ? item.onHand : null,
    onOrder: item.onOrder,
    backorders,
    inventoryPosition: inventoryPosition(item.onHand ?? 0, item.onOrder, backorders),
    leadTimeDays: isKnown(item.leadTimeDays) ? item.leadTimeDays : null,
    leadTimeSdDays: isKnown(item.leadTimeSdDays) ? item.leadTimeSdDays : null,
    reviewPeriodDays: params.reviewPeriodDays,
    horizonDays: null,
    unitCost: isKnown(item.unitCost) ? item.unitCost : null,
    moq: item.moq ?? 0,
    packSize: item.packSize ?? 1,
    historyDays: item.demandHistory.length,
    forecastMethod: null,
    seasonPeriod: null,
    forecastOverHorizon: null,
    dailyDemand: null,
    forecastErrorSd: null,
    forecastErrorSource: null,
    backtestMase: null,
    backtestOrigins: null,
    protectionSd: null,
    zFillRate: null,
    zCycle: null,
    z: null,
    serviceLevelFactor: params.serviceLevelFactor,
    safetyStock: null,
    orderUpTo: null,
    shortfall: null,
    roundedQuantity: null,
    daysOfCover: null,
  };
}

/**
 * Σ of the point forecast over a horizon of `days` (fractional days weight the last step), never
 * negative: a model may dip below zero, a shelf cannot sell below zero.
 */
export function demandOverHorizon(point: readonly number[], days: number): number {
  let total = 0;
  point.forEach((p, h) => {
    total += Math.max(0, p) * Math.min(1, Math.max(0, days - h));
  });
  return total;
}

const skipped = (inputs: ReplenishmentInputs, skipReason: string): ItemPlan =>
  ({ inputs, skipReason, quantity: 0, riskMargin: Number.POSITIVE_INFINITY });

/**
 * What planItem asks the forecaster for this item; null when the item is skipped before any
 * forecast. Exported so a caller can run the forecasts elsewhere (a thread pool) and replay them.
 */
export function forecastRequest(item: ReplenishmentItem, params: ReplenishmentParams): DemandForecastRequest | null {
  if (masterDataProblem(item)) return null;
  const horizon = item.leadTimeDays! + params.reviewPeriodDays;
  return { values: [...item.demandHistory], horizon: Math.max(1, Math.ceil(horizon - 1e-9)), method: 'auto', level: FORECAST_LEVEL };
}

export function planItem(item: ReplenishmentItem, params: ReplenishmentParams, forecast: DemandForecaster): ItemPlan {
  const inputs = baseInputs(item, params);
  const skipReason = masterDataProblem(item);
  if (skipReason) return skipped(inputs, skipReason);
  const horizon = inputs.leadTimeDays! + params.reviewPeriodDays;
  let result: DemandForecastResult;
  try {
    result = forecast(forecastRequest(item, params)!, item);
  } catch (err) {
    return skipped(inputs, `not ordered: forecast failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  Object.assign(inputs, orderUpToLevel(result, horizon, inputs, params));
  const missing = shortfall(inputs.orderUpTo!, inputs.inventoryPosition);
  const quantity = roundOrderQuantity(missing, inputs.packSize, inputs.moq);
  const daily = inputs.dailyDemand!;
  const daysOfCover = daily > 0 ? Math.max(0, inputs.inventoryPosition) / daily : null;
  Object.assign(inputs, { shortfall: missing, roundedQuantity: quantity, daysOfCover } satisfies Partial<ReplenishmentInputs>);
  const riskMargin = daysOfCover === null ? Number.POSITIVE_INFINITY : daysOfCover - inputs.leadTimeDays!;
  return { inputs, skipReason: null, quantity, riskMargin };
}

/** D_H, σ, z, SS and S from the forecast (see the policy header). */
function orderUpToLevel(result: DemandForecastResult, horizon: number, inputs: ReplenishmentInputs, params: ReplenishmentParams): Partial<ReplenishmentInputs> {
  const demand = demandOverHorizon(result.point, horizon);
  const daily = demand / horizon;
  const error = horizonError(result, horizon, FORECAST_LEVEL);
  const sigma = protectionSd(error.sd, daily, inputs.leadTimeSdDays ?? 0);
  const factor = safetyFactor(params.targetServiceLevel, sigma, daily * params.reviewPeriodDays);
  const ss = safetyStock(params.serviceLevelFactor, factor.z, sigma);
  return {
    horizonDays: horizon,
    forecastMethod: result.method,
    seasonPeriod: result.seasonPeriod ?? null,
    forecastOverHorizon: demand,
    dailyDemand: daily,
    forecastErrorSd: error.sd,
    forecastErrorSource: error.source,
    backtestMase: result.backtest?.mase ?? null,
    backtestOrigins: result.backtest?.origins ?? null,
    protectionSd: sigma,
    ...factor,
    safetyStock: ss,
    orderUpTo: demand + ss,
  };
}
