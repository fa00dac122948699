import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { MetricDefinition, metricReadRange, MetricValuesQuery } from '@opsloop/domain';
import { dataSourceOptions } from '@opsloop/persistence';
import { base, dbNow, defineMetric, insertSales, insertSource, metricKey, MetricsContext, metricsContext } from './metric-fixtures';
import { ownerDatabaseUrl } from '../../support/scratch-database';

const DAY = '2025-06-02T00:00:00.000Z';

async function read(c: MetricsContext, def: MetricDefinition, q: Partial<MetricValuesQuery> = {}) {
  const query: MetricValuesQuery = { from: DAY, to: '2025-06-04T00:00:00Z', groupBy: [], dims: {}, ...q };
  const range = metricReadRange(def, query, new Date());
  if ('field' in range) throw new Error(range.messages.join());
  return c.store.values(def, query, range);
}

describe('metric versions and as-of reads', () => {
  let ds: DataSource;
  let c: MetricsContext;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    c = metricsContext(ds);
  });
  afterAll(() => ds.destroy());

  it('adds a version per edit and keeps every earlier version readable', async () => {
    const source = await insertSource(ds);
    await insertSales(ds, source, [{ ts: '2025-06-02T10:00:00Z', amount: 10, channel: 'web' }, { ts: '2025-06-02T11:00:00Z', amount: 5, channel: 'shop' }]);
    const key = metricKey('revenue');
    const v1 = await defineMetric(c, base(key, source));
    const v2 = await defineMetric(c, base(key, source, { name: 'web revenue', filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));

    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await c.definitions.latest(key))).toEqual(v2);
    expect((await c.definitions.get(key, 1))).toEqual(v1);
    expect((await c.definitions.versions(key)).map((v) => v.version)).toEqual([1, 2]);
    expect((await read(c, v1)).map((r) => r.value)).toEqual([15]);
    expect((await read(c, v2)).map((r) => r.value)).toEqual([10]);
  });

  it('refuses to change a stored version in SQL: definitions are immutable', async () => {
    const source = await insertSource(ds);
    const def = await defineMetric(c, base(metricKey('frozen'), source));
    // The apps' role has no right to change it; the schema owner is stopped by the trigger.
    await expect(ds.query(`UPDATE metric_definitions SET definition = '{}' WHERE key = $1`, [def.key])).rejects.toThrow(/permission denied/);
    const owner = new Client({ connectionString: ownerDatabaseUrl() });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE metric_definitions SET definition = '{}' WHERE key = $1`, [def.key])).rejects.toThrow(/immutable/);
      await expect(owner.query(`DELETE FROM metric_definitions WHERE key = $1`, [def.key])).rejects.toThrow(/immutable/);
    } finally {
      await owner.end();
    }
  });

  it('reproduces at a decision time the definition then in force and only the data ingested by then', async () => {
    const source = await insertSource(ds);
    const key = metricKey('decided');
    await insertSales(ds, source, [{ ts: '2025-06-02T08:00:00Z', amount: 100, channel: 'web' }, { ts: '2025-06-02T09:00:00Z', amount: 40, channel: 'shop' }]);
    const v1 = await defineMetric(c, base(key, source));
    const decisionTime = await dbNow(ds);
    const seenAtDecision = await read(c, v1);

    // Afterwards: more data for the same day, and a new definition that counts web sales only.
    await insertSales(ds, source, [{ ts: '2025-06-02T12:00:00Z', amount: 7, channel: 'web' }, { ts: '2025-06-03T12:00:00Z', amount: 1, channel: 'web' }]);
    const v2 = await defineMetric(c, base(key, source, { filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));

    const inForce = await c.definitions.inForceAt(key, new Date(decisionTime));
    expect(inForce).toEqual(v1);
    const replayed = await read(c, inForce!, { asOf: decisionTime });
    expect(seenAtDecision).toEqual([{ bucket: DAY, dims: {}, value: 140, nullReason: null }]);
    expect(replayed).toEqual(seenAtDecision);
    expect((await read(c, v2)).map((r) => r.value)).toEqual([107, 1]);
    expect((await read(c, v1)).map((r) => r.value)).toEqual([147, 1]);
  });

  it('knows no version before the first one was made', async () => {
    const source = await insertSource(ds);
    const before = await dbNow(ds);
    const def = await defineMetric(c, base(metricKey('later'), source));
    expect(await c.definitions.inForceAt(def.key, new Date(before))).toBeNull();
    expect(await c.definitions.inForceAt(def.key, new Date(Date.parse(def.createdAt) + 1))).toEqual(def);
  });

  it('pins a ratio to the versions of its parts when it is defined', async () => {
    const source = await insertSource(ds);
    await insertSales(ds, source, [{ ts: '2025-06-02T10:00:00Z', amount: 30, qty: 3, channel: 'web' }, { ts: '2025-06-02T11:00:00Z', amount: 10, qty: 1, channel: 'shop' }]);
    const revenue = await defineMetric(c, base(metricKey('rev'), source));
    const units = await defineMetric(c, base(metricKey('units'), source, { measure: 'qty', unit: 'units' }));
    const price = await defineMetric(c, { key: metricKey('price'), name: 'avg price', owner: 'ops', unit: 'EUR', grain: 'day', aggregation: { type: 'ratio', numerator: revenue.key, denominator: units.key } });
    await defineMetric(c, base(revenue.key, source, { filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));

    expect(price.aggregation).toEqual({ type: 'ratio', numerator: revenue.key, denominator: units.key, numeratorVersion: 1, denominatorVersion: 1 });
    expect((await read(c, price)).map((r) => r.value)).toEqual([10]);
  });
});
