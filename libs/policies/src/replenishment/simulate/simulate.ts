/**
 * `simulate replenishment`: runs `opsloop` and `static-minmax` over a validated scenario and sums
 * each up in the contract's figures.
 *
 * Aggregation over items (all figures cover only the days from warmupDays on):
 * - fillRate = Σ sales / Σ demand over all items and days, so items weigh by their units
 *   (1 when there was no demand at all);
 * - stockoutDays counts item-days on which some demand was lost (2 items short on the same day
 *   count 2);
 * - lostUnits, orders (order lines placed) and orderedUnits are sums over items;
 * - avgOnHandUnits / avgOnHandValue: per item, the mean of its end-of-day stock (value at its
 *   unit cost) over its simulated days, summed over items: the stock held on an average day.
 */
import { DEFAULT_SERVICE_LEVEL_TUNING, FactorProposal, ServiceLevelTuning } from '../tuning';
import { DemandForecaster, ReplenishmentParams } from '../types';
import { ItemTotals, simulatePolicy, SimulatedPolicy, TraceRow } from './engine';
import { opsloopPolicy } from './opsloop-sim';
import { staticMinMaxPolicy } from './static-minmax';
import { Scenario } from './scenario';

export interface PolicySummary {
  name: string;
  fillRate: number;
  stockoutDays: number;
  lostUnits: number;
  avgOnHandUnits: number;
  avgOnHandValue: number;
  orders: number;
  orderedUnits: number;
}

export interface PolicyOutcome {
  summary: PolicySummary;
  items: ItemTotals[];
}

export interface SimulationOptions {
  forecast: DemandForecaster;
  onTrace?: (row: TraceRow) => void;
  /** Starting service-level factor for opsloop; 1 unless a tuned value is being replayed. */
  serviceLevelFactor?: number;
  /** opsloop's tune step; the default bounds unless given, null to switch it off. */
  tuning?: Omit<ServiceLevelTuning, 'window'> | null;
  onTune?: (day: number, proposal: FactorProposal) => void;
}

export function summarise(name: string, items: readonly ItemTotals[]): PolicySummary {
  const sum = (pick: (t: ItemTotals) => number) => items.reduce((acc, t) => acc + pick(t), 0);
  const demand = sum((t) => t.demand);
  return {
    name,
    fillRate: round(demand > 0 ? sum((t) => t.sales) / demand : 1, 6),
    stockoutDays: sum((t) => t.stockoutDays),
    lostUnits: round(sum((t) => t.lost), 6),
    avgOnHandUnits: round(sum((t) => (t.days > 0 ? t.onHandDaySum / t.days : 0)), 4),
    avgOnHandValue: round(sum((t) => (t.days > 0 ? (t.onHandDaySum * t.unitCost) / t.days : 0)), 4),
    orders: sum((t) => t.orders),
    orderedUnits: round(sum((t) => t.orderedUnits), 6),
  };
}

export function scenarioParams(scenario: Scenario, serviceLevelFactor = 1): ReplenishmentParams {
  return { targetServiceLevel: scenario.targetServiceLevel, reviewPeriodDays: scenario.reviewPeriodDays, serviceLevelFactor };
}

/** Both policies over the scenario, opsloop first, with per-item totals for callers that group. */
export function simulateScenario(scenario: Scenario, options: SimulationOptions): PolicyOutcome[] {
  const settings = { warmupDays: scenario.warmupDays, reviewPeriodDays: scenario.reviewPeriodDays };
  const policies: SimulatedPolicy[] = [
    opsloopPolicy(scenarioParams(scenario, options.serviceLevelFactor), options.forecast, scenario.warmupDays, {
      tuning: options.tuning === undefined ? DEFAULT_SERVICE_LEVEL_TUNING : options.tuning,
      onTune: options.onTune,
    }),
    staticMinMaxPolicy(scenario.warmupDays, scenario.reviewPeriodDays),
  ];
  return policies.map((policy) => {
    const items = simulatePolicy(scenario.items, settings, policy, options.onTrace);
    return { summary: summarise(policy.name, items), items };
  });
}

/** The contract's output: `{"policies": [...]}`. */
export function simulateReplenishment(scenario: Scenario, options: SimulationOptions): { policies: PolicySummary[] } {
  return { policies: simulateScenario(scenario, options).map((o) => o.summary) };
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
