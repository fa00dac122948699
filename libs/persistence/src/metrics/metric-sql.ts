/**
 * Turns a metric definition into ONE parameterised query over `observations`, answering rows of
 * (bucket, dim_set, dims, dims_key, value, null_reason). Used for the stored values (every
 * group-by subset at once, via CUBE), for incremental refreshes (only some buckets) and for
 * as-of reads computed on the fly (only what was ingested by then).
 */
import { addGrainBuckets, isAdditiveAggregation, MetricGrain } from '@opsloop/domain';
import { aggregateSql, distinctExpr, filterSql, measureExpr, SourcedMetric, SqlParams, SqlQuery } from './metric-sql-parts';

export type { SourcedMetric, SqlQuery } from './metric-sql-parts';
export { SqlParams } from './metric-sql-parts';

export type MetricPlan = { kind: 'sourced'; metric: SourcedMetric } | { kind: 'ratio'; numerator: SourcedMetric; denominator: SourcedMetric };

export interface MetricScope {
  grain: MetricGrain;
  /** The dimensions rows are grouped by, in stored (sorted) order. */
  dimensions: string[];
  /** 'all-subsets': a row for every subset of `dimensions` (what is stored); 'exactly': only the full set. */
  grouping: 'all-subsets' | 'exactly';
  /** Observation time range [from, to), bucket-aligned. */
  from?: Date;
  to?: Date;
  /** Only these bucket starts (incremental refresh). */
  buckets?: Date[];
  /** Only observations ingested at or before this instant (as-of reads). */
  ingestedAtOrBefore?: Date;
  /** Only observations whose dimension (as text) equals the value. */
  dimFilter?: Record<string, string>;
}

export function buildMetricQuery(plan: MetricPlan, scope: MetricScope, params = new SqlParams()): SqlQuery {
  const grain = params.add(scope.grain, 'text');
  const dimKeys = scope.dimensions.map((d) => params.add(d, 'text'));
  if (plan.kind === 'sourced') {
    const inner = sourcedSelect(plan.metric, scope, { grain, dimKeys }, params);
    return { text: `SELECT s.*, CASE WHEN s.value IS NULL THEN 'no values' END AS null_reason FROM (${inner}) s`, values: params.values };
  }
  const num = sourcedSelect(plan.numerator, scope, { grain, dimKeys }, params);
  const den = sourcedSelect(plan.denominator, scope, { grain, dimKeys }, params);
  // A part with no rows in a bucket is 0 when it counts or adds up, unknown otherwise.
  const n = isAdditiveAggregation(plan.numerator.aggregation) ? 'CASE WHEN num.bucket IS NULL THEN 0 ELSE num.value END' : 'num.value';
  const d = isAdditiveAggregation(plan.denominator.aggregation) ? 'CASE WHEN den.bucket IS NULL THEN 0 ELSE den.value END' : 'den.value';
  const text = `WITH num AS (${num}), den AS (${den})
    SELECT COALESCE(num.bucket, den.bucket) AS bucket, COALESCE(num.dim_set, den.dim_set) AS dim_set,
      COALESCE(num.dims, den.dims) AS dims, COALESCE(num.dims_key, den.dims_key) AS dims_key,
      CASE WHEN (${d}) IS NULL OR (${d}) = 0 OR (${n}) IS NULL THEN NULL ELSE (${n}) / (${d}) END AS value,
      CASE WHEN (${d}) IS NULL THEN 'no denominator data' WHEN (${d}) = 0 THEN 'zero denominator'
           WHEN (${n}) IS NULL THEN 'no numerator data' END AS null_reason
    FROM num FULL JOIN den ON num.bucket = den.bucket AND num.dims_key = den.dims_key`;
  return { text, values: params.values };
}

interface Shared {
  grain: string;
  dimKeys: string[];
}

function sourcedSelect(m: SourcedMetric, scope: MetricScope, shared: Shared, p: SqlParams): string {
  const bucket = `date_trunc(${shared.grain}, o.ts, 'UTC')`;
  // Missing and JSON-null dimension values are one group, so they map to one stored row.
  const dimCols = shared.dimKeys.map((k, i) => `COALESCE(o.dims -> ${k}, 'null'::jsonb) AS d${i}`);
  const inner = [`${bucket} AS bucket`, ...dimCols, `${measureExpr(m, p)} AS v`, `${distinctExpr(m, p)} AS dv`];
  const where = conditions(m, scope, bucket, p);
  const cols = shared.dimKeys.map((_, i) => `obs.d${i}`);
  const groupBy = cols.length === 0 ? 'obs.bucket' : scope.grouping === 'all-subsets' ? `obs.bucket, CUBE (${cols.join(', ')})` : `obs.bucket, ${cols.join(', ')}`;
  const dims = dimsObject(shared.dimKeys);
  return `SELECT obs.bucket, ${dimSet(shared.dimKeys)} AS dim_set, ${dims} AS dims, (${dims})::text AS dims_key,
      (${aggregateSql(m.aggregation, p)})::float8 AS value
    FROM (SELECT ${inner.join(', ')} FROM observations o WHERE ${where.join(' AND ')}) obs
    GROUP BY ${groupBy}`;
}

function conditions(m: SourcedMetric, scope: MetricScope, bucket: string, p: SqlParams): string[] {
  const where = [`o.source_id = ${p.add(m.sourceId, 'uuid')}`];
  if (scope.from) where.push(`o.ts >= ${p.add(scope.from.toISOString(), 'timestamptz')}`);
  if (scope.to) where.push(`o.ts < ${p.add(scope.to.toISOString(), 'timestamptz')}`);
  if (scope.buckets) where.push(...bucketConditions(scope.buckets, scope.grain, bucket, p));
  if (scope.ingestedAtOrBefore) where.push(`o.ingested_at <= ${p.add(scope.ingestedAtOrBefore.toISOString(), 'timestamptz')}`);
  for (const [dim, value] of Object.entries(scope.dimFilter ?? {})) where.push(`(o.dims ->> ${p.add(dim, 'text')}) = ${p.add(value, 'text')}`);
  for (const f of m.filter) where.push(filterSql(m.schema, f, p));
  return where;
}

/** The bucket list, plus its overall bounds so the time index narrows the scan first. */
function bucketConditions(buckets: Date[], grain: MetricGrain, bucket: string, p: SqlParams): string[] {
  if (buckets.length === 0) return ['false'];
  const times = buckets.map((b) => b.getTime());
  const first = new Date(Math.min(...times));
  const end = addGrainBuckets(new Date(Math.max(...times)), grain, 1);
  return [
    `o.ts >= ${p.add(first.toISOString(), 'timestamptz')}`,
    `o.ts < ${p.add(end.toISOString(), 'timestamptz')}`,
    `${bucket} = ANY(${p.add(buckets.map((b) => b.toISOString()), 'timestamptz[]')})`,
  ];
}

/** The grouped dimensions of a row as an object; dimensions rolled up by CUBE are left out. */
function dimsObject(keys: string[]): string {
  if (keys.length === 0) return `'{}'::jsonb`;
  const parts = keys.map((k, i) => `CASE WHEN GROUPING(obs.d${i}) = 0 THEN jsonb_build_object(${k}, obs.d${i}) ELSE '{}'::jsonb END`);
  return `('{}'::jsonb || ${parts.join(' || ')})`;
}

function dimSet(keys: string[]): string {
  if (keys.length === 0) return `'{}'::text[]`;
  return `array_remove(ARRAY[${keys.map((k, i) => `CASE WHEN GROUPING(obs.d${i}) = 0 THEN ${k} END`).join(', ')}]::text[], NULL)`;
}
