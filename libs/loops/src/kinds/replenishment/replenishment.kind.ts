/**
 * The replenishment loop: collect demand, stock, open orders and item master data from sources;
 * forecast every item (evaluate); order up to a forecast-driven level with replenishment@1
 * (decide); the engine asks for approval above the loop's threshold and sends purchase proposals;
 * after lead time + review period each order's fill rate, stockout days, ending stock and
 * forecast error are measured, and the service-level factor is tuned on the trailing fill rate.
 */
import type { FieldError } from '@opsloop/config';
import type { MagnitudeWording } from '@opsloop/domain';
import {
  decideReplenishment, DemandForecaster, forecastRequest, measureOrderOutcome, proposeServiceLevelFactor, REPLENISHMENT_POLICY_VERSIONS,
  ReplenishmentDecision,
} from '@opsloop/policies';
import type { DecisionDraft, Json, LoopKindHandler, OutcomeMeasure, RecordedDecision, RunContext, ScoredDecision, TuneBounds, TuneProposal } from '../../loop-kind';
import { LoopKind } from '../../loop-kind.decorator';
import { isForecastError, ForecastOutcome } from './compact-forecast';
import { ForecastPool } from './forecast-pool';
import { OutcomeReader } from './outcome-reader';
import { policyItem, policyParams, tuningOf } from './policy-inputs';
import { assessReplenishmentQuality } from './replenishment-quality';
import { itemKey, ReplenishmentCollected, ReplenishmentData } from './replenishment-data';
import { ReplenishmentLoopParams } from './replenishment.params';

type Ctx = RunContext<ReplenishmentLoopParams>;
const DAY_SECONDS = 86_400;

interface Evaluation {
  dataDate: string | null;
  items: number;
  forecasted: number;
  forecastFailures: number;
  methods: Record<string, number>;
  forecasts: Record<string, ForecastOutcome>;
}

@LoopKind('replenishment')
export class ReplenishmentKind implements LoopKindHandler<ReplenishmentLoopParams> {
  readonly paramsType = ReplenishmentLoopParams;
  readonly policyVersions = REPLENISHMENT_POLICY_VERSIONS;
  readonly description = 'Order every item up to a forecast-driven level (safety stock from the measured forecast error), within a budget, as purchase proposals';

  constructor(
    private readonly data: ReplenishmentData,
    private readonly outcomes: OutcomeReader,
    private readonly pool: ForecastPool,
  ) {}

  checkConfig(params: ReplenishmentLoopParams): FieldError[] {
    const t = params.tuning;
    if (t && !(t.minFactor <= params.serviceLevelFactor && params.serviceLevelFactor <= t.maxFactor)) {
      return [{ field: 'params.tuning', messages: ['params.tuning must satisfy minFactor <= serviceLevelFactor <= maxFactor'] }];
    }
    return [];
  }

  async collect(ctx: Ctx): Promise<Json> {
    return { ...(await this.data.collect(ctx.params, ctx.runId)) };
  }

  assessQuality(_ctx: Ctx, collected: Json) {
    return assessReplenishmentQuality(collected as unknown as ReplenishmentCollected);
  }

  async evaluate(ctx: Ctx, collected: Json): Promise<Json> {
    const c = collected as unknown as ReplenishmentCollected;
    const params = policyParams(ctx.params, ctx.approval);
    const wanted = c.items.map(policyItem).flatMap((item) => {
      const req = forecastRequest(item, params);
      return req ? [{ key: itemKey(item.sku, item.location), req }] : [];
    });
    const results = await this.pool.run(wanted.map((w) => w.req));
    const evaluation: Evaluation = { dataDate: c.dataDate, items: c.items.length, forecasted: wanted.length, forecastFailures: 0, methods: {}, forecasts: {} };
    wanted.forEach((w, i) => {
      const r = results[i]!;
      evaluation.forecasts[w.key] = r;
      if (isForecastError(r)) evaluation.forecastFailures += 1;
      else evaluation.methods[r.method] = (evaluation.methods[r.method] ?? 0) + 1;
    });
    return { ...evaluation };
  }

  /** Replays the evaluate stage's forecasts through the pure policy; items above their level get no decision row. */
  decide(ctx: Ctx, collected: Json, evaluation: Json): DecisionDraft[] {
    const c = collected as unknown as ReplenishmentCollected;
    const forecasts = (evaluation as unknown as Evaluation).forecasts;
    const replay: DemandForecaster = (_req, item) => {
      const f = item ? forecasts[itemKey(item.sku, item.location)] : undefined;
      if (!f) throw new Error('no forecast in the evaluate artifact');
      if (isForecastError(f)) throw new Error(f.error);
      return f;
    };
    const run = decideReplenishment(c.items.map(policyItem), policyParams(ctx.params, ctx.approval), replay);
    const byKey = new Map(c.items.map((i) => [itemKey(i.sku, i.location), i]));
    return run.decisions.filter((d) => d.decision !== 'no-order').map((d) => toDraft(d, c, byKey.get(itemKey(d.sku, d.location))!));
  }

  /**
   * One purchase proposal per item, location and data date: a manual run beside the nightly one,
   * or a re-run after a failure, on the same data orders once. A later data date is a new need.
   */
  intentOf(ctx: Ctx, decision: DecisionDraft): string[] {
    return replenishmentIntent(decision.action ?? {}, ctx.runId);
  }

  evaluationFor(evaluation: Json, decision: DecisionDraft): Json {
    const e = evaluation as unknown as Evaluation;
    const inputs = decision.inputs as { sku: string; location: string };
    return { dataDate: e.dataDate, items: e.items, forecasted: e.forecasted, forecastFailures: e.forecastFailures, forecast: e.forecasts[itemKey(inputs.sku, inputs.location)] ?? null };
  }

  /** The magnitude is the order's value: the approval sentence prints it, and the threshold, as money. */
  magnitudeWording(): MagnitudeWording {
    return { label: 'value', money: true };
  }

  outcomeWindowSeconds(params: ReplenishmentLoopParams): number {
    return params.outcome?.afterSeconds ?? (params.reviewPeriodDays + params.maxLeadTimeDays) * DAY_SECONDS;
  }

  async measureOutcome(ctx: Ctx, decision: RecordedDecision): Promise<OutcomeMeasure> {
    const i = decision.inputs as unknown as DraftInputs;
    if (decision.decision !== 'order' || i.horizonDays === null || !i.dataDate) return { outcome: { measured: false, reason: 'no order was decided' }, score: null };
    // A skipped (dry-run, shadow), rejected or failed order changed nothing: what happened without
    // it is no measure of the policy, so it is recorded unscored and never tunes the factor.
    if (decision.actionStatus !== 'succeeded') return { outcome: { measured: false, reason: `the order was not placed (action ${decision.actionStatus})` }, score: null };
    const input = await this.outcomes.read({
      demandSourceId: ctx.params.sources.demand.sourceId, onHandSourceId: ctx.params.sources.onHand.sourceId,
      demandKey: i.demandKey, onHandKey: i.onHandKey, dataDate: i.dataDate, horizonDays: i.horizonDays,
      openingStock: i.onHand ?? 0, forecastUnits: i.forecastOverHorizon ?? 0,
    });
    const outcome = measureOrderOutcome(input);
    return { outcome: { ...outcome, horizonDays: i.horizonDays, quantity: decision.action?.['quantity'] ?? null }, score: outcome.fillRate };
  }

  tuneBounds(params: ReplenishmentLoopParams): TuneBounds {
    const t = tuningOf(params);
    return !t.enabled ? {} : { serviceLevelFactor: { min: t.minFactor, max: t.maxFactor } };
  }

  proposeTuning(params: ReplenishmentLoopParams, recent: ScoredDecision[]): TuneProposal | null {
    const t = tuningOf(params);
    if (!t.enabled) return null;
    const outcomes = recent.flatMap((r) => {
      const o = r.outcome as { demandUnits?: unknown; filledUnits?: unknown };
      return typeof o.demandUnits === 'number' && typeof o.filledUnits === 'number' ? [{ demandUnits: o.demandUnits, filledUnits: o.filledUnits }] : [];
    });
    const p = proposeServiceLevelFactor(params.serviceLevelFactor, params.targetServiceLevel, outcomes, t);
    return p ? { changes: { serviceLevelFactor: { from: p.from, to: p.to } }, reason: p.reason } : null;
  }
}

/** The parts of an order's intent; a run without a data date (no demand read) stands for itself. */
export function replenishmentIntent(action: Json, runId: string): string[] {
  const dataDate = typeof action['dataDate'] === 'string' ? action['dataDate'] : `run ${runId}`;
  return ['order', String(action['sku']), String(action['location']), dataDate];
}

type DraftInputs = ReplenishmentDecision['inputs'] & { dataDate: string | null; demandKey: string; onHandKey: string | null; reason: string };

function toDraft(d: ReplenishmentDecision, c: ReplenishmentCollected, item: ReplenishmentCollected['items'][number]): DecisionDraft {
  const inputs: DraftInputs = { ...d.inputs, reason: d.reason, dataDate: c.dataDate, demandKey: item.demandKey, onHandKey: item.onHandKey };
  const order = d.decision === 'order';
  return {
    subject: itemKey(d.sku, d.location),
    decision: d.decision,
    magnitude: d.value,
    explanation: d.headline,
    details: d.details,
    action: order
      ? { type: 'purchase-proposal', sku: d.sku, location: d.location, supplier: item.master?.supplier ?? null, quantity: d.quantity, unitCost: d.inputs.unitCost, value: d.value, dataDate: c.dataDate }
      : null,
    inputs: { ...inputs },
  };
}
