/**
 * The pieces the metric SQL builder assembles. User-supplied names and values (fields,
 * dimensions, filter values, percentile p, grain) only ever enter the SQL as $n parameters;
 * the SQL text is chosen from closed lists here (operators, aggregates, casts) by type.
 */
import { FieldSpec, FieldType, MetricAggregation, MetricFilter, MetricFilterOp, SourceSchema } from '@opsloop/domain';

export type PgCast = 'text' | 'int' | 'float8' | 'boolean' | 'timestamptz' | 'uuid' | 'text[]' | 'float8[]' | 'boolean[]' | 'timestamptz[]';

/** Collects values and hands out their typed placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast: PgCast): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

export interface SqlQuery {
  text: string;
  values: unknown[];
}

export type SourcedAggregation = Exclude<MetricAggregation, { type: 'ratio' }>;

/** One non-ratio metric, with the schema of its source. */
export interface SourcedMetric {
  sourceId: string;
  schema: SourceSchema;
  aggregation: SourcedAggregation;
  measure: string | null;
  filter: MetricFilter[];
}

const SCALAR_CAST: Record<FieldType, PgCast> = { number: 'float8', integer: 'float8', boolean: 'boolean', timestamp: 'timestamptz', string: 'text' };
const COMPARE: Record<Exclude<MetricFilterOp, 'in'>, string> = { eq: '=', neq: 'IS DISTINCT FROM', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function spec(schema: SourceSchema, name: string): FieldSpec {
  const found = schema.fields.find((f) => f.name === name);
  // Definitions are checked against the schema when they are made; a schema edited since then
  // must fail loudly here rather than compute something else.
  if (!found) throw new Error(`Metric refers to field "${name}", which the source schema no longer has`);
  return found;
}

/** A typed SQL expression for one schema field of an observation (alias `o`). */
export function fieldExpr(schema: SourceSchema, name: string, p: SqlParams): string {
  const s = spec(schema, name);
  if (s.type === 'timestamp' && name === schema.timeField) return 'o.ts';
  if ((s.type === 'number' || s.type === 'integer') && name === schema.valueField) return 'o.value';
  const key = p.add(name, 'text');
  switch (s.type) {
    case 'number':
    case 'integer':
      return `(CASE WHEN jsonb_typeof(o.record -> ${key}) = 'number' THEN (o.record -> ${key})::float8 END)`;
    case 'boolean':
      return `(CASE WHEN jsonb_typeof(o.record -> ${key}) = 'boolean' THEN (o.record -> ${key})::boolean END)`;
    case 'timestamp':
      return `(o.record ->> ${key})::timestamptz`;
    case 'string':
      return `(o.record ->> ${key})`;
  }
}

export function filterSql(schema: SourceSchema, f: MetricFilter, p: SqlParams): string {
  const s = spec(schema, f.field);
  const expr = fieldExpr(schema, f.field, p);
  const cast = SCALAR_CAST[s.type];
  if (f.op === 'in') return `${expr} = ANY(${p.add(f.value, `${cast}[]` as PgCast)})`;
  return `${expr} ${COMPARE[f.op]} ${p.add(f.value, cast)}`;
}

/** The numeric value an aggregate works on (`v`), or NULL when the aggregate needs none. */
export function measureExpr(m: SourcedMetric, p: SqlParams): string {
  const a = m.aggregation;
  if (a.type === 'count' || a.type === 'distinct-count') return 'NULL::float8';
  const field = a.type === 'percentile' && a.field !== undefined ? a.field : m.measure;
  if (field === null) throw new Error(`A ${a.type} metric needs a measure`);
  return fieldExpr(m.schema, field, p);
}

/** The value distinct-count counts (`dv`): the raw jsonb, so any field type works. */
export function distinctExpr(m: SourcedMetric, p: SqlParams): string {
  const a = m.aggregation;
  if (a.type !== 'distinct-count') return 'NULL::jsonb';
  spec(m.schema, a.field);
  return `(o.record -> ${p.add(a.field, 'text')})`;
}

export function aggregateSql(a: SourcedAggregation, p: SqlParams): string {
  switch (a.type) {
    case 'sum':
      return 'sum(obs.v)';
    case 'avg':
      return 'avg(obs.v)';
    case 'min':
      return 'min(obs.v)';
    case 'max':
      return 'max(obs.v)';
    case 'count':
      return 'count(*)';
    case 'distinct-count':
      return 'count(DISTINCT obs.dv)';
    case 'percentile':
      return `percentile_cont(${p.add(a.p, 'float8')}) WITHIN GROUP (ORDER BY obs.v)`;
  }
}
