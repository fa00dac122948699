/**
 * What a metric definition is: one business number, defined once, versioned and immutable.
 * Plain data shared by the API (checks), persistence (SQL building) and loop kinds (reads).
 */
export const METRIC_GRAINS = ['hour', 'day', 'week', 'month'] as const;
export type MetricGrain = (typeof METRIC_GRAINS)[number];

export const METRIC_AGGREGATIONS = ['sum', 'count', 'avg', 'min', 'max', 'distinct-count', 'percentile', 'ratio'] as const;
export type MetricAggregationType = (typeof METRIC_AGGREGATIONS)[number];

export const METRIC_FILTER_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'] as const;
export type MetricFilterOp = (typeof METRIC_FILTER_OPS)[number];

export const METRIC_THRESHOLD_DIRECTIONS = ['above', 'below'] as const;
export type MetricThresholdDirection = (typeof METRIC_THRESHOLD_DIRECTIONS)[number];

/** Values are stored for every subset of the dimensions (2^n groups per bucket), so n stays small. */
export const MAX_METRIC_DIMENSIONS = 6;
export const MAX_FILTER_VALUES = 1000;
export const METRIC_KEY_PATTERN = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
export const METRIC_KEY_MAX = 64;

export type MetricAggregation =
  | { type: 'sum' | 'count' | 'avg' | 'min' | 'max' }
  | { type: 'distinct-count'; field: string }
  /** `field` defaults to the measure. */
  | { type: 'percentile'; p: number; field?: string }
  /** Versions are pinned when the ratio is defined (the newest at that moment unless given). */
  | { type: 'ratio'; numerator: string; denominator: string; numeratorVersion?: number; denominatorVersion?: number };

export type MetricFilterValue = string | number | boolean;

export interface MetricFilter {
  field: string;
  op: MetricFilterOp;
  /** An array for `in`, a single value otherwise. */
  value: MetricFilterValue | MetricFilterValue[];
}

export interface MetricThresholds {
  warn?: number;
  critical?: number;
  /** `above`: values above the bounds are bad; `below`: values below them are. */
  direction: MetricThresholdDirection;
}

/** What a person submits: the definition of one version. */
export interface MetricDefinitionInput {
  key: string;
  name: string;
  description?: string;
  owner: string;
  unit: string;
  /** Source id; not used by ratio metrics, whose parts name their own sources. */
  source?: string;
  /** Numeric schema field aggregated by sum/avg/min/max/percentile; defaults to the source's valueField. */
  measure?: string;
  aggregation: MetricAggregation;
  filter?: MetricFilter[];
  grain: MetricGrain;
  dimensions?: string[];
  target?: number;
  thresholds?: MetricThresholds;
}

/** The stored body of one version: defaults filled in, dimensions sorted, ratio parts pinned. */
export interface MetricDefinitionBody {
  key: string;
  name: string;
  description: string;
  owner: string;
  unit: string;
  source: string | null;
  measure: string | null;
  aggregation: MetricAggregation;
  filter: MetricFilter[];
  grain: MetricGrain;
  dimensions: string[];
  target: number | null;
  thresholds: MetricThresholds | null;
}

export interface MetricDefinition extends MetricDefinitionBody {
  version: number;
  createdAt: string;
  createdBy: string;
}

export interface MetricVersionSummary {
  version: number;
  createdAt: string;
  createdBy: string;
}

export function isRatioMetric(a: MetricAggregation): a is Extract<MetricAggregation, { type: 'ratio' }> {
  return a.type === 'ratio';
}

/** Aggregations where "no rows" means zero, so a missing ratio part counts as 0, not as unknown. */
export function isAdditiveAggregation(a: MetricAggregation): boolean {
  return a.type === 'sum' || a.type === 'count' || a.type === 'distinct-count';
}

/** Thrown when a metric key (or a version of it) does not exist; the API answers 404. */
export class UnknownMetricError extends Error {
  override readonly name = 'UnknownMetricError';
  constructor(readonly key: string, readonly version?: number) {
    super(version === undefined ? `No metric with key "${key}"` : `Metric "${key}" has no version ${version}`);
  }
}
