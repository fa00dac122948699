/**
 * Port through which loop kinds read metric-center values, so a decision can record the metric
 * key, the definition version and the values it used. Bound by the metric center.
 */
export interface MetricPoint {
  /** Start of the grain bucket (ISO-8601). */
  bucket: string;
  /** Null when the bucket has no data or a ratio's denominator is zero. */
  value: number | null;
}

export interface MetricSeriesRead {
  key: string;
  version: number;
  grain: string;
  points: MetricPoint[];
}

export interface MetricSeriesQuery {
  /** How many most recent buckets to return, oldest first. */
  points: number;
  /** Upper bound (exclusive) of the buckets; defaults to now. */
  until?: string;
  /** Only observations whose dimensions equal these values. */
  dims?: Record<string, string>;
}

export abstract class MetricSeries {
  /** Throws a NotFound-style error naming the key when the metric does not exist. */
  abstract read(key: string, query: MetricSeriesQuery): Promise<MetricSeriesRead>;
}
