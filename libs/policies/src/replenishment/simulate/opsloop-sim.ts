/**
 * `opsloop` in the simulator: the replenishment loop as it runs, decide + outcome + tune, built
 * on the same policy and tuning functions the loop kind calls.
 *
 * Each review day is one loop run over all items (decideReplenishment). Each order decision's
 * outcome is the fill rate over the days it is responsible for, from its arrival (t + L) until
 * the next order can arrive (t + L + R); it is measured once those days are past. Before each
 * run, the tune step looks at the trailing window of measured outcomes (proposeServiceLevelFactor)
 * and may move the service-level factor. Everything it reads is in the past of the review day.
 */
import { decideReplenishment } from '../policy';
import { FactorProposal, FillOutcome, proposeServiceLevelFactor, ServiceLevelTuning } from '../tuning';
import { DemandForecaster, ReplenishmentParams } from '../types';
import { ItemView, SimulatedPolicy } from './engine';

/** Outcomes per item a tuning window spans: the last four review periods of every item. */
const WINDOW_REVIEWS = 4;

export interface OpsloopSimOptions {
  /**
   * Bounds, step and tolerance of the tune step; its window is set to the last four review
   * periods of every item. null keeps the starting factor (the policy without its feedback).
   */
  tuning?: Omit<ServiceLevelTuning, 'window'> | null;
  onTune?: (day: number, proposal: FactorProposal) => void;
}

interface Pending {
  key: string;
  /** Which factor the decision was made with: only outcomes of the current one are judged. */
  generation: number;
  /** Outcome window [from, to) in days. */
  from: number;
  to: number;
}

function outcomeOf(view: ItemView, warmupDays: number, p: Pending): FillOutcome {
  let demandUnits = 0;
  let filledUnits = 0;
  for (let day = p.from; day < p.to; day++) {
    demandUnits += view.history[day]!;
    filledUnits += view.sales[day - warmupDays]!;
  }
  return { demandUnits, filledUnits };
}

export function opsloopPolicy(
  start: ReplenishmentParams,
  forecast: DemandForecaster,
  warmupDays: number,
  options: OpsloopSimOptions = {},
): SimulatedPolicy {
  const params = { ...start };
  let generation = 0;
  const pending: Pending[] = [];
  const outcomes: FillOutcome[] = [];
  const keyOf = (v: ItemView) => `${v.sku}\u0000${v.location}`;

  /** Outcomes whose window has closed by `day`, measured from what the views show of the past. */
  const measure = (day: number, views: readonly ItemView[]) => {
    const byKey = new Map(views.map((v) => [keyOf(v), v]));
    for (let i = 0; i < pending.length; ) {
      const p = pending[i]!;
      const view = byKey.get(p.key);
      if (p.to <= day && view) {
        if (p.generation === generation) outcomes.push(outcomeOf(view, warmupDays, p));
        pending.splice(i, 1);
      } else i += 1;
    }
  };

  const tune = (day: number, itemCount: number) => {
    if (!options.tuning) return;
    const tuning = { ...options.tuning, window: itemCount * WINDOW_REVIEWS };
    const proposal = proposeServiceLevelFactor(params.serviceLevelFactor, params.targetServiceLevel, outcomes, tuning);
    if (!proposal) return;
    params.serviceLevelFactor = proposal.to;
    // A new factor is judged on outcomes decided with it: the window starts over.
    generation += 1;
    outcomes.length = 0;
    options.onTune?.(day, proposal);
  };

  return {
    name: 'opsloop',
    decide(day, views) {
      measure(day, views);
      tune(day, views.length);
      const items = views.map((v) => ({
        sku: v.sku, location: v.location, demandHistory: v.history, onHand: v.onHand, onOrder: v.onOrder, backorders: 0,
        leadTimeDays: v.leadTimeDays, unitCost: v.unitCost, moq: v.moq, packSize: v.packSize,
      }));
      const run = decideReplenishment(items, params, forecast);
      for (const v of views) {
        const from = day + v.leadTimeDays;
        pending.push({ key: keyOf(v), generation, from, to: from + params.reviewPeriodDays });
      }
      return run.decisions.map((d) => d.quantity);
    },
  };
}
