/**
 * Reading metric values: the query a caller may ask (time range, dimension filter, group-by,
 * as-of, period comparison), its checks against the definition, and the comparison arithmetic.
 */
import { canonicalJson } from '../ledger/canonical-json';
import type { MetricDefinition } from './metric-definition';
import type { MetricFieldError } from './metric-filter-check';
import { addGrainBuckets, GrainBucketRange, grainBucketRange, grainBucketStart, MetricComparison, comparisonBucketOf } from './metric-periods';

/** The most buckets one read may span. */
export const MAX_READ_BUCKETS = 10_000;
/** Buckets read when no `from` is given. */
export const DEFAULT_READ_BUCKETS = 100;

export interface MetricValuesQuery {
  from?: string;
  to?: string;
  /** Dimensions to group by; none gives the totals. */
  groupBy: string[];
  /** Only observations whose dimension equals the value (compared as text). */
  dims: Record<string, string>;
  /** Definition version in force and data ingested at or before this instant. */
  asOf?: string;
  version?: number;
  compare?: MetricComparison;
}

export interface MetricValueRow {
  /** Bucket start, ISO-8601. */
  bucket: string;
  /** The group-by dimensions of this row (empty for totals). */
  dims: Record<string, unknown>;
  value: number | null;
  /** Why the value is null, e.g. 'zero denominator'. */
  nullReason: string | null;
}

export interface MetricComparisonValue {
  bucket: string;
  value: number | null;
  /** value − comparison value; null when either is null. */
  change: number | null;
  /** change / |comparison value|; null when the comparison value is 0 or null. */
  changeRatio: number | null;
}

export interface ComparedValueRow extends MetricValueRow {
  comparison?: MetricComparisonValue;
}

/** Group-by and filter dimensions must be ones the definition allows. */
export function checkMetricValuesQuery(def: MetricDefinition, q: MetricValuesQuery): MetricFieldError[] {
  const errors: MetricFieldError[] = [];
  const allowed = def.dimensions.join(', ') || 'none';
  const unknownGroup = q.groupBy.filter((d) => !def.dimensions.includes(d));
  if (unknownGroup.length) errors.push({ field: 'groupBy', messages: [`groupBy: unknown dimension "${unknownGroup[0]}" for metric ${def.key} v${def.version} (allowed: ${allowed})`] });
  if (new Set(q.groupBy).size !== q.groupBy.length) errors.push({ field: 'groupBy', messages: ['groupBy: a dimension is listed twice'] });
  for (const dim of Object.keys(q.dims).filter((d) => !def.dimensions.includes(d))) {
    errors.push({ field: `dims[${dim}]`, messages: [`dims[${dim}]: unknown dimension "${dim}" for metric ${def.key} v${def.version} (allowed: ${allowed})`] });
  }
  return errors;
}

/** The whole buckets a read covers; `to` defaults to now, `from` to DEFAULT_READ_BUCKETS before it. */
export function metricReadRange(def: MetricDefinition, q: Pick<MetricValuesQuery, 'from' | 'to'>, now: Date): GrainBucketRange | MetricFieldError {
  const to = q.to ? new Date(q.to) : now;
  if (!q.from) {
    const last = grainBucketStart(new Date(to.getTime() - 1), def.grain);
    return grainBucketRange(addGrainBuckets(last, def.grain, 1 - DEFAULT_READ_BUCKETS), to, def.grain);
  }
  const from = new Date(q.from);
  if (from >= to) return { field: 'from', messages: ['from must be before to'] };
  const range = grainBucketRange(from, to, def.grain);
  if (range.buckets > MAX_READ_BUCKETS) return { field: 'from', messages: [`from: the range spans ${range.buckets} ${def.grain} buckets; at most ${MAX_READ_BUCKETS}`] };
  return range;
}

export function isMetricFieldError(x: GrainBucketRange | MetricFieldError): x is MetricFieldError {
  return 'field' in x;
}

/** Attaches to each row the value of its comparison bucket (same dimensions), and the change. */
export function withMetricComparison(rows: MetricValueRow[], base: MetricValueRow[], grain: MetricDefinition['grain'], comparison: MetricComparison, rangeBuckets: number): ComparedValueRow[] {
  const byKey = new Map(base.map((r) => [`${r.bucket}|${canonicalJson(r.dims)}`, r]));
  return rows.map((row) => {
    const baseBucket = comparisonBucketOf(new Date(row.bucket), grain, comparison, rangeBuckets).toISOString();
    const baseValue = byKey.get(`${baseBucket}|${canonicalJson(row.dims)}`)?.value ?? null;
    const change = row.value === null || baseValue === null ? null : row.value - baseValue;
    const changeRatio = change === null || baseValue === 0 ? null : change / Math.abs(baseValue!);
    return { ...row, comparison: { bucket: baseBucket, value: baseValue, change, changeRatio } };
  });
}
