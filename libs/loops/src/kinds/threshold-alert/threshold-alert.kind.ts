/** The generic alert loop: a reading crosses a bound → notify the action target (e.g. a webhook). */
import { Optional } from '@nestjs/common';
import { OutboundHttp } from '@opsloop/connectors';
import { decideAlerts, hasAnomalyDetector, proposeBound, scoreAlert, THRESHOLD_ALERT_POLICY_VERSIONS } from '@opsloop/policies';
import type { FieldError } from '@opsloop/config';
import type { MagnitudeWording } from '@opsloop/domain';
import { CollectedReadings } from '../../collected-readings';
import { DecisionDraft, Json, LoopKindHandler, OutcomeMeasure, QualityReport, RecordedDecision, RunContext, ScoredDecision, TuneBounds, TuneProposal } from '../../loop-kind';
import { LoopKind } from '../../loop-kind.decorator';
import { readingsFromEvent, readProbe } from './reading-source';
import { assessSourceQuality, SourceCollected, SourceReadings, sourceParamsProblems } from './source-readings';
import { ThresholdAlertEvent, ThresholdAlertParams } from './threshold-alert.params';
import { MetricSeries } from '../../metric-series';
import { anomalyConfigErrors } from './anomaly-config';
import { anomalyQualityChecks, assertDetectorAvailable, decideAnomalies } from './anomaly-decide';
import { readMetric } from './metric-readings';
import { alertIntent, judgedBucket } from './alert-intent';

type Ctx = RunContext<ThresholdAlertParams>;

@LoopKind('threshold-alert')
export class ThresholdAlertKind implements LoopKindHandler<ThresholdAlertParams> {
  readonly paramsType = ThresholdAlertParams;
  readonly eventType = ThresholdAlertEvent;
  readonly policyVersions = THRESHOLD_ALERT_POLICY_VERSIONS;
  readonly description = 'Notify the action target when a reading crosses a bound, or (threshold-alert@2, detector "anomaly") is an outlier against its history';

  constructor(
    private readonly http: OutboundHttp,
    private readonly history: CollectedReadings,
    // Optional so the kind still composes where no source wiring exists (a loop without params.source needs none).
    @Optional() private readonly sources?: SourceReadings,
    // Optional too: without the metric center, checkConfig refuses params.metric.
    @Optional() private readonly metrics?: MetricSeries,
  ) {}

  checkConfig(params: ThresholdAlertParams, policyVersion: string): FieldError[] {
    const errors: FieldError[] = sourceParamsProblems(params);
    if (params.detector === 'anomaly' && !hasAnomalyDetector(policyVersion)) {
      errors.push({ field: 'params.detector', messages: [`params.detector 'anomaly' needs policy version threshold-alert@2 or later; got ${policyVersion}`] });
    }
    const probeProblem = params.probe ? this.http.policy.problem(params.probe.url) : null;
    if (probeProblem) errors.push({ field: 'params.probe.url', messages: [`params.probe.url ${probeProblem}`] });
    const t = params.tuning;
    if (t && !(t.minBound <= params.bound && params.bound <= t.maxBound)) {
      errors.push({ field: 'params.tuning', messages: ['params.tuning must satisfy minBound <= bound <= maxBound'] });
    }
    errors.push(...anomalyConfigErrors(params, Boolean(this.metrics)));
    return errors;
  }

  async collect(ctx: Ctx): Promise<Json> {
    if (ctx.params.detector === 'anomaly') assertDetectorAvailable(ctx.policyVersion);
    const fromEvent = readingsFromEvent(ctx.event);
    if (fromEvent) return { source: 'event', readings: fromEvent };
    if (ctx.params.source) {
      if (!this.sources) throw new Error('threshold-alert: params.source needs the source collector, which this process does not bind');
      return this.sources.collect(ctx.params.source, ctx.runId);
    }
    if (ctx.params.metric && this.metrics) return { ...(await readMetric(this.metrics, ctx.params.metric, ctx.params.anomaly?.history ?? 0, ctx.startedAt)) };
    if (ctx.params.probe) return { source: 'probe', readings: [await readProbe(this.http, ctx.params.probe)] };
    return { source: 'none', readings: [] };
  }

  assessQuality(ctx: Ctx, collected: Json): QualityReport {
    if (collected['source'] === 'source') {
      return assessSourceQuality(collected as unknown as SourceCollected, [...new Set([...ctx.params.source?.series ?? [], ...ctx.params.expectSeries ?? []])]);
    }
    const readings = collected['readings'] as { series: string }[];
    const seen = new Set(readings.map((r) => r.series));
    const missing = (ctx.params.expectSeries ?? []).filter((s) => !seen.has(s));
    const checks = [
      { name: 'readings-present', ok: readings.length > 0, message: `${readings.length} reading(s) from ${String(collected['source'])}` },
      { name: 'expected-series', ok: missing.length === 0, message: missing.length ? `missing: ${missing.join(', ')}` : 'all expected series present' },
      ...(ctx.params.detector === 'anomaly' ? anomalyQualityChecks(collected) : []),
    ];
    // Nothing here can make a wrong alert; gaps are reported, not blocking.
    return { ok: checks.every((c) => c.ok), blocking: false, checks };
  }

  evaluate(ctx: Ctx, collected: Json): Promise<Json> {
    const readings = collected['readings'] as { value: number }[];
    const values = readings.map((r) => r.value);
    return Promise.resolve({ readings: values.length, max: values.length ? Math.max(...values) : null, min: values.length ? Math.min(...values) : null, bound: ctx.params.bound, detector: ctx.params.detector ?? 'bound' });
  }

  decide(ctx: Ctx, collected: Json): DecisionDraft[] {
    if (ctx.params.detector === 'anomaly') return decideAnomalies(ctx.params.anomaly, collected);
    const readings = collected['readings'] as { series: string; value: number }[];
    const bucket = judgedBucket(collected);
    return decideAlerts(readings, ctx.params).map((d, i) => ({
      ...d,
      inputs: {
        reading: readings[i], bound: ctx.params.bound, direction: ctx.params.direction, source: collected['source'],
        ...(collected['sourceId'] ? { sourceId: collected['sourceId'] } : {}), ...(bucket ? { bucket } : {}),
      },
    }));
  }

  /** One notification per series per window (params.alertWindowSeconds, default an hour): see alert-intent.ts. */
  intentOf(ctx: Ctx, decision: DecisionDraft): string[] {
    return alertIntent(decision, ctx.startedAt, ctx.params.alertWindowSeconds);
  }

  /** What an approval threshold is compared with: |z| for the anomaly detector, else the distance past the bound. */
  magnitudeWording(params: ThresholdAlertParams): MagnitudeWording {
    return { label: params.detector === 'anomaly' ? '|z|' : 'distance past the bound' };
  }

  outcomeWindowSeconds(params: ThresholdAlertParams): number | null {
    return params.outcomeWindowSeconds ?? null;
  }

  async measureOutcome(ctx: Ctx, decision: RecordedDecision): Promise<OutcomeMeasure> {
    const action = decision.action as { bound: number; direction: 'above' | 'below' };
    const later = ctx.params.probe
      ? (await readProbe(this.http, ctx.params.probe)).value
      : await this.history.latestAfter(ctx.loopId, decision.subject, decision.createdAt);
    return scoreAlert(action.bound, action.direction, later);
  }

  tuneBounds(params: ThresholdAlertParams): TuneBounds {
    return params.tuning ? { bound: { min: params.tuning.minBound, max: params.tuning.maxBound } } : {};
  }

  proposeTuning(params: ThresholdAlertParams, recent: ScoredDecision[]): TuneProposal | null {
    if (!params.tuning) return null;
    const proposal = proposeBound(params, params.tuning, recent.map((d) => d.score));
    return proposal ? { changes: { bound: { from: proposal.from, to: proposal.to } }, reason: proposal.reason } : null;
  }
}
