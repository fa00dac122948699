/**
 * Threshold-alert readings from the metric center: the newest complete bucket of one metric is
 * the value judged, the buckets before it its history. What was read (key, definition version,
 * grain, buckets) goes into the collect artifact, so every decision can say which numbers it used.
 */
import type { MetricPoint, MetricSeries } from '../../metric-series';
import type { MetricRef } from './anomaly.params';

export interface HistoryReading {
  series: string;
  value: number;
  /** Earlier values, oldest first; null marks a bucket without data. */
  history?: (number | null)[];
}

export interface MetricCollected {
  source: 'metric';
  metric: {
    key: string;
    version: number;
    grain: string;
    dims: Record<string, string>;
    /** The buckets used, oldest first; the last is the one judged. */
    buckets: MetricPoint[];
    /** The current bucket, left out because it is still filling. */
    incomplete: string | null;
  };
  /** Why there is no reading (the newest complete bucket has no value). */
  problem: string | null;
  readings: HistoryReading[];
}

const HOUR_MS = 3_600_000;

/** When a bucket closes; null for a grain this code does not know (the bucket is then taken as complete). */
export function bucketEnd(bucket: string, grain: string): Date | null {
  const start = new Date(bucket);
  switch (grain) {
    case 'hour': return new Date(start.getTime() + HOUR_MS);
    case 'day': return new Date(start.getTime() + 24 * HOUR_MS);
    case 'week': return new Date(start.getTime() + 7 * 24 * HOUR_MS);
    case 'month': return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    default: return null;
  }
}

/** `sales{region=eu}`: the metric key with its dimension filter, in key order. */
export function metricSeriesName(ref: MetricRef): string {
  const dims = Object.entries(ref.dims ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return dims.length ? `${ref.key}{${dims.map(([k, v]) => `${k}=${v}`).join(',')}}` : ref.key;
}

/**
 * Reads `historyPoints` buckets plus the one judged. One more is asked for in case the newest
 * is the current, unfinished bucket: judging a half-filled hour would see every one as a drop.
 */
export async function readMetric(metrics: MetricSeries, ref: MetricRef, historyPoints: number, now: string): Promise<MetricCollected> {
  const read = await metrics.read(ref.key, { points: historyPoints + 2, until: now, dims: ref.dims });
  const points = [...read.points];
  const newest = points[points.length - 1];
  const end = newest ? bucketEnd(newest.bucket, read.grain) : null;
  const incomplete = newest && end && end.getTime() > new Date(now).getTime() ? newest.bucket : null;
  if (incomplete) points.pop();
  const buckets = points.slice(-(historyPoints + 1));
  const metric = { key: read.key, version: read.version, grain: read.grain, dims: ref.dims ?? {}, buckets, incomplete };
  const judged = buckets[buckets.length - 1];
  if (!judged || judged.value === null) {
    const problem = judged ? `${read.key} has no value for the newest complete bucket ${judged.bucket}` : `${read.key} has no complete bucket yet`;
    return { source: 'metric', metric, problem, readings: [] };
  }
  const reading = { series: metricSeriesName(ref), value: judged.value, history: buckets.slice(0, -1).map((b) => b.value) };
  return { source: 'metric', metric, problem: null, readings: [reading] };
}
