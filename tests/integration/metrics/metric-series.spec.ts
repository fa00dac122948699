import { DataSource } from 'typeorm';
import { UnknownMetricError } from '@opsloop/domain';
import { dataSourceOptions } from '@opsloop/persistence';
import { base, defineMetric, insertSales, insertSource, metricKey, MetricsContext, metricsContext } from './metric-fixtures';

// The MetricSeries port loop kinds read is bound to this store method (libs/loops loop-kinds.module.ts).
describe('metric series for loop kinds', () => {
  let ds: DataSource;
  let c: MetricsContext;
  let source: string;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    c = metricsContext(ds);
    source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-08-01T10:00:00Z', amount: 10, qty: 1, region: 'north' },
      { ts: '2025-08-01T11:00:00Z', amount: 5, qty: 0, region: 'south' },
      { ts: '2025-08-03T10:00:00Z', amount: 7, qty: 0, region: 'north' },
    ]);
  });
  afterAll(() => ds.destroy());

  it('gives the newest version\'s last N buckets before `until`, oldest first, null where there is no data', async () => {
    const key = metricKey('rev');
    await defineMetric(c, base(key, source, { dimensions: ['region'] }));
    await defineMetric(c, base(key, source, { dimensions: ['region'], aggregation: { type: 'max' } }));
    const read = await c.store.series(key, { points: 4, until: '2025-08-03T12:00:00Z' });
    expect(read).toEqual({
      key, version: 2, grain: 'day',
      points: [
        { bucket: '2025-07-31T00:00:00.000Z', value: null },
        { bucket: '2025-08-01T00:00:00.000Z', value: 10 },
        { bucket: '2025-08-02T00:00:00.000Z', value: null },
        { bucket: '2025-08-03T00:00:00.000Z', value: 7 },
      ],
    });
  });

  it('filters by dimensions', async () => {
    const key = metricKey('rev');
    await defineMetric(c, base(key, source, { dimensions: ['region'] }));
    const read = await c.store.series(key, { points: 1, until: '2025-08-02T00:00:00Z', dims: { region: 'south' } });
    expect(read.points).toEqual([{ bucket: '2025-08-01T00:00:00.000Z', value: 5 }]);
  });

  it('gives null, not Infinity, for a ratio bucket whose denominator is zero', async () => {
    const revenue = await defineMetric(c, base(metricKey('rev'), source));
    const units = await defineMetric(c, base(metricKey('units'), source, { measure: 'qty' }));
    const key = metricKey('price');
    await defineMetric(c, { key, name: 'price', owner: 'ops', unit: 'EUR', grain: 'day', aggregation: { type: 'ratio', numerator: revenue.key, denominator: units.key } });
    const read = await c.store.series(key, { points: 3, until: '2025-08-04T00:00:00Z' });
    expect(read.points.map((p) => p.value)).toEqual([15, null, null]);
  });

  it('names an unknown key, an unknown dimension and a bad window', async () => {
    await expect(c.store.series('no-such-metric', { points: 3 })).rejects.toThrow(UnknownMetricError);
    await expect(c.store.series('no-such-metric', { points: 3 })).rejects.toThrow('No metric with key "no-such-metric"');
    const key = metricKey('rev');
    await defineMetric(c, base(key, source, { dimensions: ['region'] }));
    await expect(c.store.series(key, { points: 3, dims: { colour: 'red' } })).rejects.toThrow(/dims\.colour is not a dimension/);
    await expect(c.store.series(key, { points: 0 })).rejects.toThrow(/points must be a whole number/);
  });
});
