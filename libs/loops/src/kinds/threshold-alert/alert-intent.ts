/**
 * What an alert means: this series crossed in this time window. Two runs that see the same
 * series cross within one window (an event sent twice, a manual run beside the scheduled one, a
 * source point read again) make one notification; the next window may notify again.
 */
import { timeWindow } from '@opsloop/domain';
import type { DecisionDraft, Json } from '../../loop-kind';

/** One notification per series per hour unless the loop says otherwise (`params.alertWindowSeconds`). */
export const DEFAULT_ALERT_WINDOW_SECONDS = 3600;

/**
 * When the judged reading was taken: a source point's timestamp or the metric bucket judged;
 * null for readings that carry no time (events, probes), which the run's start stands in for.
 */
export function readingTime(inputs: Json): string | null {
  const reading = inputs['reading'] as { ts?: unknown } | undefined;
  if (typeof reading?.ts === 'string') return reading.ts;
  if (typeof inputs['bucket'] === 'string') return inputs['bucket'];
  const metric = inputs['metric'] as { to?: unknown } | null | undefined;
  return typeof metric?.to === 'string' ? metric.to : null;
}

/** The metric bucket a run judged (the newest complete one), for the bound detector's inputs. */
export function judgedBucket(collected: Json): string | null {
  if (collected['source'] !== 'metric') return null;
  const buckets = (collected['metric'] as { buckets?: { bucket: string }[] } | undefined)?.buckets ?? [];
  return buckets[buckets.length - 1]?.bucket ?? null;
}

export function alertIntent(decision: DecisionDraft, runStartedAt: string, windowSeconds = DEFAULT_ALERT_WINDOW_SECONDS): string[] {
  const at = readingTime(decision.inputs) ?? runStartedAt;
  return ['alert', decision.subject, timeWindow(at, windowSeconds)];
}
