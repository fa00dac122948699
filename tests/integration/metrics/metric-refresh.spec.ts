import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricDefinition, metricReadRange, MetricValuesQuery } from '@opsloop/domain';
import { MetricRefreshListener } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';
import { base, defineMetric, insertSales, insertSource, metricKey, MetricsContext, metricsContext } from './metric-fixtures';

const A = '2025-05-05T00:00:00.000Z';
const B = '2025-05-06T00:00:00.000Z';
const C = '2025-05-07T00:00:00.000Z';

interface StoredRow {
  bucket: string;
  dims_key: string;
  value: number | null;
  computed_at: string;
}

/** Stored rows keyed by bucket and group, with computed_at as text (microseconds kept). */
async function stored(ds: DataSource, def: MetricDefinition): Promise<Map<string, StoredRow>> {
  const rows: StoredRow[] = await ds.query(
    `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS bucket, dims_key, value, to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS computed_at
     FROM metric_values WHERE key = $1 AND version = $2`,
    [def.key, def.version],
  );
  return new Map(rows.map((r) => [`${r.bucket} ${r.dims_key}`, r]));
}

async function totals(c: MetricsContext, def: MetricDefinition): Promise<(number | null)[]> {
  const q: MetricValuesQuery = { from: A, to: '2025-05-08T00:00:00Z', groupBy: [], dims: {} };
  const range = metricReadRange(def, q, new Date());
  if ('field' in range) throw new Error(range.messages.join());
  return (await c.store.values(def, q, range)).map((r) => r.value);
}

// A database of its own: the watermark looks at open transactions, and other specs' must not count.
describe('incremental metric refresh', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let c: MetricsContext;
  let source: string;

  beforeEach(async () => {
    db = await createScratchDatabase('metrics');
    ds = await db.dataSource();
    c = metricsContext(ds);
    source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-05-05T10:00:00Z', amount: 10, region: 'north' },
      { ts: '2025-05-06T10:00:00Z', amount: 20, region: 'north' },
      { ts: '2025-05-06T11:00:00Z', amount: 5, region: 'south' },
      { ts: '2025-05-07T10:00:00Z', amount: 30, region: 'south' },
    ]);
  });
  afterEach(() => db.drop());

  it('computes a new version in full, then recomputes only the buckets new observations touch', async () => {
    const def = await defineMetric(c, base(metricKey('rev'), source, { dimensions: ['region'] }));
    expect(await c.store.refresh(def)).toEqual({ key: def.key, version: 1, full: true, buckets: 3 });
    const before = await stored(ds, def);

    await insertSales(ds, source, [{ ts: '2025-05-06T23:00:00Z', amount: 100, region: 'north' }]);
    expect(await c.store.ensureFresh(def)).toEqual({ key: def.key, version: 1, full: false, buckets: 1 });
    const after = await stored(ds, def);

    for (const [group, row] of before) {
      if (group.startsWith('2025-05-06')) expect(after.get(group)!.computed_at > row.computed_at).toBe(true);
      else expect(after.get(group)).toEqual(row);
    }
    expect(after.get('2025-05-06 {}')!.value).toBe(125);
    expect(after.get('2025-05-06 {"region": "north"}')!.value).toBe(120);
    expect(after.size).toBe(before.size);
    expect(await c.store.ensureFresh(def)).toBeNull();
  });

  it('refreshes the newest version of each metric on the source after an ingest batch, without a read', async () => {
    const key = metricKey('rev');
    const v1 = await defineMetric(c, base(key, source));
    await c.store.refresh(v1);
    const v2 = await defineMetric(c, base(key, source, { aggregation: { type: 'max' } }));
    await c.store.refresh(v2);
    await insertSales(ds, source, [{ ts: '2025-05-07T12:00:00Z', amount: 90 }]);

    const listener = new MetricRefreshListener(c.store);
    await listener.observationsWritten({ sourceId: source, batchId: randomUUID(), minTs: C, maxTs: C });

    expect(listener.lastReports).toEqual([{ key, version: 2, full: false, buckets: 1 }]);
    expect((await stored(ds, v2)).get('2025-05-07 {}')!.value).toBe(90);
    expect((await stored(ds, v1)).get('2025-05-07 {}')!.value).toBe(30);
    // The older version catches up when it is read.
    expect(await totals(c, v1)).toEqual([10, 25, 120]);
  });

  it('never serves stale values: a read refreshes first when the watermark is behind', async () => {
    const def = await defineMetric(c, base(metricKey('rev'), source));
    expect(await totals(c, def)).toEqual([10, 25, 30]);
    await insertSales(ds, source, [{ ts: '2025-05-05T12:00:00Z', amount: 1 }, { ts: '2025-05-08T12:00:00Z', amount: 2 }]);
    expect(await totals(c, def)).toEqual([11, 25, 30]);
  });

  it('does not skip an ingest that commits after a later one has been refreshed', async () => {
    const def = await defineMetric(c, base(metricKey('rev'), source));
    await c.store.refresh(def);
    const slow = new Client({ connectionString: db.url });
    await slow.connect();
    try {
      // A long ingest: its rows carry its start time, but become visible only at its commit.
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO observations (source_id, unique_key, series_key, dims, ts, value, record, batch_id)
         VALUES ($1, 'slow-1', 's1', '{}', '2025-05-05T15:00:00Z', 1000, '{"amount": 1000}', $2)`,
        [source, randomUUID()],
      );
      await new Promise((r) => setTimeout(r, 20));
      await insertSales(ds, source, [{ ts: '2025-05-07T15:00:00Z', amount: 3 }]);
      expect(await totals(c, def)).toEqual([10, 25, 33]);
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    expect(await totals(c, def)).toEqual([1010, 25, 33]);
  });

  it('stores a row for every subset of the dimensions, so any group-by is exact', async () => {
    const def = await defineMetric(c, base(metricKey('rev'), source, { dimensions: ['region', 'store', 'channel'] }));
    await c.store.refresh(def);
    const sets: { dim_set: string[]; n: number }[] = await ds.query(
      `SELECT dim_set, count(*)::int AS n FROM metric_values WHERE key = $1 AND bucket = $2 GROUP BY dim_set ORDER BY dim_set`,
      [def.key, B],
    );
    expect(sets.map((s) => s.dim_set.join('+'))).toEqual(['', 'channel', 'channel+region', 'channel+region+store', 'channel+store', 'region', 'region+store', 'store']);
    expect(sets.find((s) => s.dim_set.join('+') === 'region')!.n).toBe(2);
  });
});
