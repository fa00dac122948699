/**
 * Reads metric values for a bucket range: from the stored rows (current data), or computed on
 * the fly from the observations ingested by an as-of instant (a decision-time read).
 */
import { DataSource } from 'typeorm';
import { GrainBucketRange, MetricDefinition, MetricValueRow } from '@opsloop/domain';
import { iso } from '../repositories/sql-rows';
import { buildMetricQuery, MetricPlan, SqlParams } from './metric-sql';

export interface ReadScope {
  def: MetricDefinition;
  range: GrainBucketRange;
  groupBy: string[];
  dims: Record<string, string>;
}

interface ValueRow {
  bucket: Date;
  dims: Record<string, unknown>;
  value: number | null;
  null_reason: string | null;
}

/**
 * Every subset of the dimensions is stored, so a group-by with equality filters is the stored
 * group of (group-by ∪ filtered dimensions) with the filter values: exact for any aggregation.
 */
export async function storedRows(ds: DataSource, s: ReadScope): Promise<MetricValueRow[]> {
  const p = new SqlParams();
  const dimSet = s.def.dimensions.filter((d) => s.groupBy.includes(d) || Object.hasOwn(s.dims, d));
  const where = [
    `key = ${p.add(s.def.key, 'text')}`,
    `version = ${p.add(s.def.version, 'int')}`,
    `dim_set = ${p.add(dimSet, 'text[]')}`,
    `bucket >= ${p.add(s.range.from.toISOString(), 'timestamptz')}`,
    `bucket < ${p.add(s.range.to.toISOString(), 'timestamptz')}`,
    ...Object.entries(s.dims).map(([dim, value]) => `(dims ->> ${p.add(dim, 'text')}) = ${p.add(value, 'text')}`),
  ];
  const rows: ValueRow[] = await ds.query(
    `SELECT bucket, dims, value, null_reason FROM metric_values WHERE ${where.join(' AND ')} `,
    p.values,
  );
  return ordered(rows.map((r) => toRow(r, s.groupBy)), s.groupBy);
}

/** Computed from the observations ingested at or before `asOf`, with the given definition. */
export async function computedRows(ds: DataSource, plan: MetricPlan, s: ReadScope, asOf: Date): Promise<MetricValueRow[]> {
  const dimensions = s.def.dimensions.filter((d) => s.groupBy.includes(d));
  const q = buildMetricQuery(plan, {
    grain: s.def.grain, dimensions, grouping: 'exactly', from: s.range.from, to: s.range.to, ingestedAtOrBefore: asOf, dimFilter: s.dims,
  });
  const rows: ValueRow[] = await ds.query(`SELECT c.bucket, c.dims, c.value, c.null_reason FROM (${q.text}) c`, q.values);
  return ordered(rows.map((r) => toRow(r, s.groupBy)), s.groupBy);
}

/** Oldest bucket first, then by the group-by values in the order the caller listed the dimensions. */
function ordered(rows: MetricValueRow[], groupBy: string[]): MetricValueRow[] {
  const sortKey = (r: MetricValueRow) => groupBy.map((d) => JSON.stringify(r.dims[d] ?? null));
  return rows
    .map((r) => ({ r, t: Date.parse(r.bucket), k: sortKey(r) }))
    .sort((a, b) => a.t - b.t || compareLists(a.k, b.k))
    .map((x) => x.r);
}

function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function toRow(r: ValueRow, groupBy: string[]): MetricValueRow {
  const dims = Object.fromEntries(Object.entries(r.dims).filter(([k]) => groupBy.includes(k)));
  return { bucket: iso(r.bucket), dims, value: r.value, nullReason: r.null_reason };
}
