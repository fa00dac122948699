/**
 * Safety stock from measured forecast error. See the policy header for the formula; this module
 * holds its parts: the error of the demand forecast summed over the protection horizon, its
 * combination with lead-time variability, and the safety factor z for the target.
 */
import { inverseNormal, inverseNormalLoss } from './normal';
import { DemandForecastResult } from './types';

export interface SafetyFactorParts {
  /** z that keeps the expected units short per review period within (1 − target) of its demand. */
  zFillRate: number;
  /** z that keeps a review period free of stockouts with probability target: the cap. */
  zCycle: number;
  /** min(zFillRate, zCycle): what the policy stocks against. */
  z: number;
}

/**
 * The safety factor for a target read as a fill rate, the share of demand served from stock,
 * which is what the outcome step, the tune step and the simulator measure. With demand over the
 * protection horizon ~ N(S − z·σ, σ²), the expected units short per review period are σ·G(z)
 * (G the standard normal loss), and they may be (1 − target) of the period's demand d·R. For a
 * very slow mover that asks for more protection than a stockout-free period with the same
 * probability would, so the cycle-service z = Φ⁻¹(target) caps it.
 */
export function safetyFactor(targetServiceLevel: number, sigma: number, periodDemand: number): SafetyFactorParts {
  const zCycle = inverseNormal(targetServiceLevel);
  const zFillRate = sigma > 0 ? inverseNormalLoss(((1 - targetServiceLevel) * periodDemand) / sigma) : 0;
  return { zFillRate, zCycle, z: Math.min(zFillRate, zCycle) };
}

export interface HorizonError {
  /** Standard deviation of (actual − forecast) demand summed over the horizon, in units. */
  sd: number;
  /** Where the figure came from, for the explanation and the ledger. */
  source: string;
}

/** The exact z of the two-sided levels `forecast` offers, so σ_h comes back to the last bit. */
const INTERVAL_Z: Record<number, number> = { 0.8: 1.2815515655446004, 0.95: 1.959963984540054 };

/**
 * One standard deviation per forecast step, read back from the interval `forecast` built from
 * its own backtest errors: the upper bound sits z(level) deviations above the point.
 * The upper side is used because it is the side that runs a shelf empty.
 */
export function perStepErrorSd(result: DemandForecastResult, level: number): number[] {
  const zUpper = INTERVAL_Z[level] ?? inverseNormal(0.5 + level / 2);
  return result.point.map((p, h) => Math.max(0, (result.upper[h] ?? p) - p) / zUpper);
}

/**
 * Error of the horizon total from per-step deviations σ_1..σ_H, as if each day's error were
 * independent: σ_H = √Σσ_h². Errors made from one origin are in truth positively correlated (a
 * misjudged level shows at every step), so for long horizons this understates σ_H; the
 * per-step σ_h already grow with h where the backtest saw the level drift, and what remains
 * systematic shows in the achieved fill rate, which the tune step answers through the factor.
 */
export function horizonErrorSd(stepSds: readonly number[]): number {
  return Math.sqrt(stepSds.reduce((acc, s) => acc + s * s, 0));
}

/** σ of the demand a planned order must cover: forecast error plus lead-time variability. */
export function protectionSd(horizonErrorSdUnits: number, dailyDemand: number, leadTimeSdDays: number): number {
  return Math.sqrt(horizonErrorSdUnits ** 2 + (dailyDemand * leadTimeSdDays) ** 2);
}

/** SS = f · z · σ, never negative. */
export function safetyStock(factor: number, z: number, sigma: number): number {
  return Math.max(0, factor * z * sigma);
}

/** The forecast's error over a horizon of `days` (fractional days take part of the last step). */
export function horizonError(result: DemandForecastResult, days: number, level: number): HorizonError {
  const steps = perStepErrorSd(result, level).map((s, h) => s * Math.min(1, Math.max(0, days - h)));
  const origins = result.backtest ? `${result.backtest.origins} backtest origins` : 'no backtest';
  return { sd: horizonErrorSd(steps), source: `per-step interval widths, ${origins}` };
}
