/**
 * The data replenishment@1 works on: its params, one item+location's inputs, the decision it
 * returns, and the slice of the analytics forecast it calls (injected, so the simulator and the
 * loop kind share the policy while tests can pass a stand-in).
 */
export const REPLENISHMENT_POLICY_VERSION = 'replenishment@1';
export const REPLENISHMENT_POLICY_VERSIONS = [REPLENISHMENT_POLICY_VERSION] as const;

export interface ReplenishmentParams {
  /** Probability of not running out within one replenishment cycle, 0.5 ≤ x < 1. */
  targetServiceLevel: number;
  reviewPeriodDays: number;
  /** Most a single run may commit, as Σ quantity·unitCost; none when undefined. */
  budgetCap?: number;
  /** Orders worth more than this wait for a person; none when undefined. */
  approvalThreshold?: number;
  /** The tuned multiplier on the safety factor z (1 = textbook); moved by the tune step. */
  serviceLevelFactor: number;
}

export interface ReplenishmentItem {
  sku: string;
  location: string;
  /** Daily demand, oldest first, ending the day before the decision: never anything later. */
  demandHistory: readonly number[];
  /** Null when no stock level is known: the item is not ordered, with that reason. */
  onHand: number | null;
  /** Ordered and not yet received. */
  onOrder: number;
  backorders?: number;
  leadTimeDays?: number | null;
  /** Standard deviation of the lead time in days, when the supplier's history gives one. */
  leadTimeSdDays?: number | null;
  unitCost?: number | null;
  moq?: number | null;
  packSize?: number | null;
  supplier?: string | null;
}

/** What the policy asks of `forecast` in @opsloop/analytics (its ForecastInput, narrowed). */
export interface DemandForecastRequest {
  values: number[];
  horizon: number;
  method: 'auto';
  level: 0.8 | 0.95;
}

/** The parts of analytics' ForecastResult the policy reads. */
export interface DemandForecastResult {
  method: string;
  point: number[];
  lower: number[];
  upper: number[];
  seasonPeriod?: number | null;
  backtest: { mase: number | null; origins: number; errorsByHorizon?: number[] } | null;
  fallback?: string | null;
}

/** `item` names whose demand it is, for a forecaster that replays results computed earlier. */
export type DemandForecaster = (req: DemandForecastRequest, item?: ReplenishmentItem) => DemandForecastResult;

export type DecisionKind = 'order' | 'no-order' | 'not-ordered';

/** Every number behind a decision, for the ledger (null where the step was never reached). */
export interface ReplenishmentInputs {
  sku: string;
  location: string;
  onHand: number | null;
  onOrder: number;
  backorders: number;
  inventoryPosition: number;
  leadTimeDays: number | null;
  leadTimeSdDays: number | null;
  reviewPeriodDays: number;
  horizonDays: number | null;
  unitCost: number | null;
  moq: number;
  packSize: number;
  historyDays: number;
  forecastMethod: string | null;
  seasonPeriod: number | null;
  forecastOverHorizon: number | null;
  dailyDemand: number | null;
  forecastErrorSd: number | null;
  forecastErrorSource: string | null;
  backtestMase: number | null;
  backtestOrigins: number | null;
  /** √(σ_H² + d²·σ_L²): the spread of the demand an order must cover. */
  protectionSd: number | null;
  zFillRate: number | null;
  zCycle: number | null;
  z: number | null;
  serviceLevelFactor: number;
  safetyStock: number | null;
  orderUpTo: number | null;
  shortfall: number | null;
  roundedQuantity: number | null;
  daysOfCover: number | null;
}

export interface ReplenishmentDecision {
  sku: string;
  location: string;
  decision: DecisionKind;
  /** One short phrase: "below order-up-to level", "not ordered: missing lead time", ... */
  reason: string;
  quantity: number;
  /** quantity · unitCost (0 when nothing is ordered). */
  value: number;
  needsApproval: boolean;
  /** The business reason in one sentence: "Order 42 units (205.80) because ...". */
  headline: string;
  /** Every number that led to the quantity: forecast, σ, z, safety stock, rounding. */
  details: string;
  /** headline, then details. Approval is the engine's to word: it knows the mode. */
  explanation: string;
  inputs: ReplenishmentInputs;
}

export interface ReplenishmentRun {
  policyVersion: typeof REPLENISHMENT_POLICY_VERSION;
  params: ReplenishmentParams;
  decisions: ReplenishmentDecision[];
  /** Σ value of the orders. */
  totalValue: number;
}
