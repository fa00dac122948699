import { DataSource } from 'typeorm';
import { MetricDefinition, metricReadRange, MetricValuesQuery, SourceSchema } from '@opsloop/domain';
import { dataSourceOptions } from '@opsloop/persistence';
import { base, defineMetric, insertRecords, insertSales, insertSource, metricKey, MetricsContext, metricsContext } from './metric-fixtures';

const DAY_A = '2025-03-03T00:00:00.000Z';
const DAY_B = '2025-03-04T00:00:00.000Z';
const DAY_C = '2025-03-05T00:00:00.000Z';

async function read(c: MetricsContext, def: MetricDefinition, q: Partial<MetricValuesQuery> = {}) {
  const query: MetricValuesQuery = { from: DAY_A, to: '2025-03-06T00:00:00Z', groupBy: [], dims: {}, ...q };
  const range = metricReadRange(def, query, new Date());
  if ('field' in range) throw new Error(range.messages.join());
  return c.store.values(def, query, range);
}

const values = (rows: { bucket: string; value: number | null }[]) => Object.fromEntries(rows.map((r) => [r.bucket, r.value]));

describe('metric aggregations on real Postgres', () => {
  let ds: DataSource;
  let c: MetricsContext;
  let source: string;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    c = metricsContext(ds);
    source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-03-03T08:00:00Z', amount: 10, qty: 1, channel: 'web', customer: 'a' },
      { ts: '2025-03-03T09:00:00Z', amount: 20, qty: 2, channel: 'web', customer: 'b' },
      { ts: '2025-03-03T10:00:00Z', amount: 30, qty: 3, channel: 'shop', customer: 'a' },
      { ts: '2025-03-03T23:59:59Z', amount: 40, qty: 4, channel: 'shop', customer: 'c' },
      { ts: '2025-03-04T00:00:00Z', amount: 50, qty: 5, channel: 'web', customer: 'd' },
      { ts: '2025-03-04T12:00:00Z', amount: 60, qty: 0, channel: 'shop', customer: 'd' },
      { ts: '2025-03-05T12:00:00Z', amount: 70, qty: 7, channel: 'web', returned: true },
    ]);
  });
  afterAll(() => ds.destroy());

  it('sums, counts, averages and takes min and max per UTC day', async () => {
    const expected = { sum: [100, 110, 70], count: [4, 2, 1], avg: [25, 55, 70], min: [10, 50, 70], max: [40, 60, 70] } as const;
    for (const [type, want] of Object.entries(expected)) {
      const def = await defineMetric(c, base(metricKey(type), source, { aggregation: { type: type as 'sum' } }));
      expect(values(await read(c, def))).toEqual({ [DAY_A]: want[0], [DAY_B]: want[1], [DAY_C]: want[2] });
    }
  });

  it('computes percentiles by linear interpolation, like percentile_cont', async () => {
    const median = await defineMetric(c, base(metricKey('p50'), source, { aggregation: { type: 'percentile', p: 0.5 } }));
    const p90 = await defineMetric(c, base(metricKey('p90-qty'), source, { aggregation: { type: 'percentile', p: 0.9, field: 'qty' } }));
    expect(values(await read(c, median))).toEqual({ [DAY_A]: 25, [DAY_B]: 55, [DAY_C]: 70 });
    // qty on day A is 1,2,3,4: rank 0.9·3 = 2.7 → 3 + 0.7·1.
    expect((await read(c, p90))[0]!.value).toBeCloseTo(3.7, 10);
  });

  it('counts distinct customers, each hashed value once', async () => {
    const def = await defineMetric(c, base(metricKey('buyers'), source, { aggregation: { type: 'distinct-count', field: 'customer' }, unit: 'customers' }));
    expect(values(await read(c, def))).toEqual({ [DAY_A]: 3, [DAY_B]: 1, [DAY_C]: 0 });
  });

  it('applies filters of every kind before aggregating', async () => {
    const web = await defineMetric(c, base(metricKey('web'), source, { filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));
    const bigOrders = await defineMetric(c, base(metricKey('big'), source, { aggregation: { type: 'count' }, filter: [{ field: 'qty', op: 'gte', value: 3 }, { field: 'channel', op: 'in', value: ['web', 'shop'] }] }));
    const kept = await defineMetric(c, base(metricKey('kept'), source, { filter: [{ field: 'returned', op: 'neq', value: true }] }));
    const morning = await defineMetric(c, base(metricKey('morning'), source, { filter: [{ field: 'ts', op: 'lt', value: '2025-03-03T09:30:00Z' }] }));
    expect(values(await read(c, web))).toEqual({ [DAY_A]: 30, [DAY_B]: 50, [DAY_C]: 70 });
    expect(values(await read(c, bigOrders))).toEqual({ [DAY_A]: 2, [DAY_B]: 1, [DAY_C]: 1 });
    // neq keeps rows without the field: only the returned order of day C is left out.
    expect(values(await read(c, kept))).toEqual({ [DAY_A]: 100, [DAY_B]: 110 });
    expect(values(await read(c, morning))).toEqual({ [DAY_A]: 30 });
  });

  it('gives a ratio null with the reason "zero denominator", never Infinity', async () => {
    const webRevenue = await defineMetric(c, base(metricKey('web-rev'), source, { filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));
    const shopUnits = await defineMetric(c, base(metricKey('shop-qty'), source, { measure: 'qty', filter: [{ field: 'channel', op: 'eq', value: 'shop' }] }));
    const ratio = await defineMetric(c, { key: metricKey('rev-per-unit'), name: 'r', owner: 'ops', unit: 'EUR/unit', grain: 'day', aggregation: { type: 'ratio', numerator: webRevenue.key, denominator: shopUnits.key } });
    const rows = await read(c, ratio);
    expect(rows.map((r) => [r.bucket, r.value, r.nullReason])).toEqual([
      [DAY_A, 30 / 7, null],
      [DAY_B, null, 'zero denominator'], // shop qty 0
      [DAY_C, null, 'zero denominator'], // no shop sales at all: an empty sum is 0
    ]);
    expect(ratio.aggregation).toMatchObject({ numeratorVersion: 1, denominatorVersion: 1 });
  });

  it('counts a ratio part with no rows in a bucket as zero when it adds up', async () => {
    const shopRevenue = await defineMetric(c, base(metricKey('shop-rev'), source, { filter: [{ field: 'channel', op: 'eq', value: 'shop' }] }));
    const webUnits = await defineMetric(c, base(metricKey('web-qty'), source, { measure: 'qty', filter: [{ field: 'channel', op: 'eq', value: 'web' }] }));
    const ratio = await defineMetric(c, { key: metricKey('shop-per-web'), name: 'r', owner: 'ops', unit: 'x', grain: 'day', aggregation: { type: 'ratio', numerator: shopRevenue.key, denominator: webUnits.key } });
    expect(values(await read(c, ratio))).toEqual({ [DAY_A]: 70 / 3, [DAY_B]: 12, [DAY_C]: 0 });
  });

  it('keeps hostile field names, dimension names and values as data', async () => {
    const evil = `amount'); DROP TABLE observations; --`;
    const evilDim = `re"gion' OR 1=1 --`;
    const schema: SourceSchema = {
      fields: [{ name: 'ts', type: 'timestamp', required: true }, { name: evil, type: 'number', required: true }, { name: evilDim, type: 'string', required: true }],
      uniqueKey: ['ts'], timeField: 'ts', seriesKey: [evilDim], dimensions: [evilDim],
    };
    const hostileSource = await insertSource(ds, schema);
    const quoted = `x'; DELETE FROM sources; --`;
    await insertRecords(ds, hostileSource, schema, [
      { ts: '2025-03-03T01:00:00Z', [evil]: 5, [evilDim]: quoted },
      { ts: '2025-03-03T02:00:00Z', [evil]: 7, [evilDim]: 'plain' },
    ]);
    const def = await defineMetric(c, base(metricKey('hostile'), hostileSource, { measure: evil, dimensions: [evilDim], filter: [{ field: evilDim, op: 'in', value: [quoted, 'plain'] }] }));
    expect(values(await read(c, def))).toEqual({ [DAY_A]: 12 });
    const byDim = await read(c, def, { groupBy: [evilDim], dims: { [evilDim]: quoted } });
    expect(byDim).toEqual([{ bucket: DAY_A, dims: { [evilDim]: quoted }, value: 5, nullReason: null }]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM observations WHERE source_id = $1`, [hostileSource]);
    expect(n).toBe(2);
  });
});
