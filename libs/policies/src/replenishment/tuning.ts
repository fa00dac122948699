/**
 * The tune step of replenishment@1: when the fill rate achieved over a trailing window of
 * measured outcomes stays off the target, move the service-level factor one step (more safety
 * stock when short, less when over-serving), never outside its bounds, and say why.
 */
import { formatCount, formatQuantity } from '@opsloop/domain';

export interface ServiceLevelTuning {
  minFactor: number;
  maxFactor: number;
  step: number;
  /** How many of the most recent measured outcomes make up the window. */
  window: number;
  /** Fill rates within target ± tolerance count as on target. */
  tolerance: number;
}

export const DEFAULT_SERVICE_LEVEL_TUNING: ServiceLevelTuning = { minFactor: 0.5, maxFactor: 2, step: 0.1, window: 8, tolerance: 0.01 };

/** One measured outcome: the demand in its window and how much of it was served. */
export interface FillOutcome {
  demandUnits: number;
  filledUnits: number;
}

export interface FactorProposal {
  from: number;
  to: number;
  achievedFillRate: number;
  reason: string;
}

/**
 * Fill rate over the window is Σ filled / Σ demand (weighted by units, so a quiet week cannot
 * outvote a busy one). No proposal until the window is full, when the window saw no demand, when
 * the rate is within tolerance, or when the factor already sits at the bound it would cross.
 */
export function proposeServiceLevelFactor(
  current: number,
  targetServiceLevel: number,
  outcomes: readonly FillOutcome[],
  tuning: ServiceLevelTuning = DEFAULT_SERVICE_LEVEL_TUNING,
): FactorProposal | null {
  const recent = outcomes.slice(-tuning.window);
  if (tuning.window < 1 || recent.length < tuning.window) return null;
  const demand = recent.reduce((s, o) => s + o.demandUnits, 0);
  if (!(demand > 0)) return null;
  const achieved = recent.reduce((s, o) => s + Math.min(o.filledUnits, o.demandUnits), 0) / demand;
  const short = achieved < targetServiceLevel - tuning.tolerance;
  const over = achieved > targetServiceLevel + tuning.tolerance;
  if (!short && !over) return null;
  const moved = roundFactor(current + (short ? tuning.step : -tuning.step));
  const to = Math.min(tuning.maxFactor, Math.max(tuning.minFactor, moved));
  if (to === current) return null;
  const direction = short ? 'below' : 'above';
  const effect = short ? 'more safety stock' : 'less safety stock';
  return {
    from: current,
    to,
    achievedFillRate: achieved,
    reason: `fill rate ${formatQuantity(achieved * 100)}% over the last ${formatCount(recent.length, 'outcome')} is ${direction} the target ` +
      `${formatQuantity(targetServiceLevel * 100)}% ± ${formatCount(tuning.tolerance * 100, 'point')}: service-level factor ${current} → ${to} ` +
      `(${effect}; allowed ${tuning.minFactor}..${tuning.maxFactor})`,
  };
}

function roundFactor(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
