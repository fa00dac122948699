/**
 * The anomaly side of the threshold-alert kind: turns collected readings with history into
 * decisions through the pure rule (threshold-alert@2), recording in each decision's inputs the
 * values, the metric version, the method, z and the explanation; plus the quality checks that
 * say when a reading could not be judged.
 */
import { AnomalyAlertDecision, decideAnomaly, hasAnomalyDetector } from '@opsloop/policies';
import type { DecisionDraft, Json, QualityCheck } from '../../loop-kind';
import type { AnomalyParams } from './anomaly.params';
import type { HistoryReading, MetricCollected } from './metric-readings';

/** threshold-alert@1 predates the detector; a loop pinned to it must not change behaviour silently. */
export function assertDetectorAvailable(policyVersion: string): void {
  if (!hasAnomalyDetector(policyVersion)) {
    throw new Error(`params.detector 'anomaly' needs policy version threshold-alert@2 or later; this loop is pinned to ${policyVersion}`);
  }
}

function metricInputs(collected: Json): Json | null {
  if (collected['source'] !== 'metric') return null;
  const m = (collected as unknown as MetricCollected).metric;
  return {
    key: m.key, version: m.version, grain: m.grain, dims: m.dims,
    from: m.buckets[0]?.bucket ?? null, to: m.buckets[m.buckets.length - 1]?.bucket ?? null, incompleteBucketSkipped: m.incomplete,
  };
}

function inputsOf(reading: HistoryReading, d: AnomalyAlertDecision, collected: Json): Json {
  const e = d.evidence;
  return {
    detector: 'anomaly',
    source: collected['source'],
    reading: { series: reading.series, value: reading.value },
    metric: metricInputs(collected),
    values: [...(reading.history ?? []), reading.value],
    method: e.method, z: e.z, expected: e.expected, residual: e.residual, scale: e.scale, threshold: e.threshold, direction: e.direction,
    seasonPeriod: e.seasonPeriod, seasonSource: e.seasonSource, filledGaps: e.filledGaps, levelShift: e.levelShift,
    explanation: d.explanation,
  };
}

export function decideAnomalies(params: AnomalyParams | undefined, collected: Json): DecisionDraft[] {
  const readings = collected['readings'] as HistoryReading[];
  const rule = { threshold: params?.threshold, seasonPeriod: params?.seasonPeriod, direction: params?.direction ?? 'both' };
  return readings.map((r) => {
    const d = decideAnomaly({ series: r.series, value: r.value, history: r.history ?? [] }, rule);
    return {
      subject: d.subject, decision: d.decision, magnitude: d.magnitude, explanation: d.headline, details: d.details || undefined, action: d.action,
      inputs: inputsOf(r, d, collected),
    };
  });
}

/** Not blocking: a reading without enough history gets a hold that says so, and the others are judged. */
export function anomalyQualityChecks(collected: Json): QualityCheck[] {
  const readings = collected['readings'] as HistoryReading[];
  const bare = readings.filter((r) => !r.history || r.history.length === 0).map((r) => r.series);
  const checks: QualityCheck[] = [
    { name: 'history-present', ok: bare.length === 0, message: bare.length ? `no history for: ${bare.join(', ')}` : 'every reading has history' },
  ];
  const problem = collected['source'] === 'metric' ? (collected as unknown as MetricCollected).problem : null;
  if (problem) checks.push({ name: 'metric-value', ok: false, message: problem });
  return checks;
}
