/**
 * Test data for the metric center specs: sources and observations written with plain SQL (as
 * the ingest pipeline would leave them), and definitions made through the same checks the API
 * uses.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { checkMetricDefinition, isRatioMetric, MetricDefinition, MetricDefinitionInput, SourceSchema } from '@opsloop/domain';
import { MetricDefinitionRepository, TypeOrmMetricDefinitionRepository, TypeOrmMetricValueStore } from '@opsloop/persistence';

/** A sales source: one row per order line. */
export const SALES_SCHEMA: SourceSchema = {
  fields: [
    { name: 'id', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'amount', type: 'number', required: false },
    { name: 'qty', type: 'integer', required: false },
    { name: 'region', type: 'string', required: true },
    { name: 'store', type: 'string', required: true },
    { name: 'channel', type: 'string', required: true, allowed: ['web', 'shop'] },
    { name: 'customer', type: 'string', required: false, personal: 'hash' },
    { name: 'returned', type: 'boolean', required: false },
  ],
  uniqueKey: ['id'],
  timeField: 'ts',
  seriesKey: ['store'],
  valueField: 'amount',
  dimensions: ['region', 'store', 'channel'],
};

export interface Sale {
  ts: string;
  amount?: number | null;
  qty?: number;
  region?: string;
  store?: string;
  channel?: string;
  customer?: string;
  returned?: boolean;
  /** Defaults to the database's now() inside the insert, as the ingest pipeline writes it. */
  ingestedAt?: string;
}

export async function insertSource(ds: DataSource, schema: SourceSchema = SALES_SCHEMA): Promise<string> {
  const [row]: { id: string }[] = await ds.query(`INSERT INTO sources (name, kind, schema) VALUES ($1, 'push', $2) RETURNING id`, [`metrics-${randomUUID()}`, schema]);
  return row!.id;
}

/** Rows of any schema: `record` holds every field; dims, value and ts are derived from the schema. */
export async function insertRecords(ds: DataSource, sourceId: string, schema: SourceSchema, records: (Record<string, unknown> & { ingestedAt?: string })[]): Promise<void> {
  const batchId = randomUUID();
  for (const { ingestedAt, ...record } of records) {
    const dims = Object.fromEntries(schema.dimensions.map((d) => [d, record[d] ?? null]));
    const value = schema.valueField ? (record[schema.valueField] ?? null) : null;
    await ds.query(
      `INSERT INTO observations (source_id, unique_key, series_key, dims, ts, value, record, batch_id, ingested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()))`,
      [sourceId, randomUUID(), schema.seriesKey.map((k) => String(record[k] ?? '')).join('|'), dims, record[schema.timeField], value, record, batchId, ingestedAt ?? null],
    );
  }
}

export function insertSales(ds: DataSource, sourceId: string, sales: Sale[]): Promise<void> {
  return insertRecords(ds, sourceId, SALES_SCHEMA, sales.map((s) => ({ id: randomUUID(), region: 'north', store: 's1', channel: 'web', ...s })));
}

export interface MetricsContext {
  ds: DataSource;
  definitions: MetricDefinitionRepository;
  store: TypeOrmMetricValueStore;
}

export function metricsContext(ds: DataSource): MetricsContext {
  return { ds, definitions: new TypeOrmMetricDefinitionRepository(ds), store: new TypeOrmMetricValueStore(ds) };
}

/** A unique key per spec run, so specs sharing the database never collide. */
export function metricKey(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** Checks like the API does, then stores version 1 (or the next version when the key exists). */
export async function defineMetric(c: MetricsContext, input: MetricDefinitionInput): Promise<MetricDefinition> {
  const a = input.aggregation;
  const ratio = isRatioMetric(a);
  const numerator = ratio ? await c.definitions.latest(a.numerator) : undefined;
  const denominator = ratio ? await c.definitions.latest(a.denominator) : undefined;
  const sourceSchema = input.source ? await c.definitions.sourceSchema(input.source) : null;
  const checked = checkMetricDefinition(input, { sourceSchema, numerator, denominator });
  if (!checked.definition) throw new Error(`definition refused: ${JSON.stringify(checked.errors)}`);
  const sources = ratio ? [numerator!.source!, denominator!.source!] : [input.source!];
  const exists = await c.definitions.latest(input.key);
  const result = exists ? await c.definitions.addVersion(checked.definition, sources, 'spec') : await c.definitions.create(checked.definition, sources, 'spec');
  if (!result.ok) throw new Error(`definition not stored: ${result.reason}`);
  return result.definition;
}

export const base = (key: string, source: string, extra: Partial<MetricDefinitionInput> = {}): MetricDefinitionInput => ({
  key, name: key, owner: 'ops', unit: 'EUR', source, aggregation: { type: 'sum' }, grain: 'day', ...extra,
});

/**
 * Database time, so as-of instants line up with created_at and ingested_at: rounded up to the
 * millisecond JSON can carry, then a short pause so later writes are strictly after it.
 */
export async function dbNow(ds: DataSource): Promise<string> {
  const [row]: { now: Date }[] = await ds.query(`SELECT date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond' AS now`);
  await new Promise((r) => setTimeout(r, 5));
  return row!.now.toISOString();
}
