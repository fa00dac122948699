import { DataSource } from 'typeorm';
import { MetricDefinition, metricReadRange, MetricValuesQuery } from '@opsloop/domain';
import { dataSourceOptions } from '@opsloop/persistence';
import { base, dbNow, defineMetric, insertSales, insertSource, metricKey, MetricsContext, metricsContext } from './metric-fixtures';

const D1 = '2025-07-07T00:00:00.000Z';
const D2 = '2025-07-08T00:00:00.000Z';
const ALL_DIMS = ['channel', 'region', 'store'];

async function read(c: MetricsContext, def: MetricDefinition, q: Partial<MetricValuesQuery>) {
  const query: MetricValuesQuery = { groupBy: [], dims: {}, ...q };
  const range = metricReadRange(def, query, new Date());
  if ('field' in range) throw new Error(range.messages.join());
  return c.store.values(def, query, range);
}

const rowsOf = (rows: { bucket: string; dims: Record<string, unknown>; value: number | null }[]) => rows.map((r) => [r.bucket.slice(0, 10), r.dims, r.value]);

describe('metric reads: dimension group-by', () => {
  let ds: DataSource;
  let c: MetricsContext;
  let sum: MetricDefinition;
  let avg: MetricDefinition;
  const week = { from: D1, to: '2025-07-09T00:00:00Z' };

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    c = metricsContext(ds);
    const source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-07-07T01:00:00Z', amount: 10, region: 'north', store: 's1', channel: 'web' },
      { ts: '2025-07-07T02:00:00Z', amount: 20, region: 'north', store: 's1', channel: 'shop' },
      { ts: '2025-07-07T03:00:00Z', amount: 30, region: 'north', store: 's2', channel: 'web' },
      { ts: '2025-07-07T04:00:00Z', amount: 40, region: 'south', store: 's3', channel: 'web' },
      { ts: '2025-07-07T05:00:00Z', amount: 50, region: 'south', store: 's3', channel: 'shop' },
      { ts: '2025-07-08T01:00:00Z', amount: 1, region: 'north', store: 's1', channel: 'web' },
      { ts: '2025-07-08T02:00:00Z', amount: 2, region: 'south', store: 's3', channel: 'shop' },
    ]);
    sum = await defineMetric(c, base(metricKey('sales'), source, { dimensions: ALL_DIMS }));
    avg = await defineMetric(c, base(metricKey('basket'), source, { aggregation: { type: 'avg' }, dimensions: ALL_DIMS }));
  });
  afterAll(() => ds.destroy());

  it('gives totals when nothing is grouped', async () => {
    expect(rowsOf(await read(c, sum, week))).toEqual([['2025-07-07', {}, 150], ['2025-07-08', {}, 3]]);
  });

  it('groups by one dimension and by two', async () => {
    expect(rowsOf(await read(c, sum, { ...week, groupBy: ['region'] }))).toEqual([
      ['2025-07-07', { region: 'north' }, 60], ['2025-07-07', { region: 'south' }, 90],
      ['2025-07-08', { region: 'north' }, 1], ['2025-07-08', { region: 'south' }, 2],
    ]);
    expect(rowsOf(await read(c, sum, { ...week, from: D1, to: D2, groupBy: ['region', 'channel'] }))).toEqual([
      ['2025-07-07', { region: 'north', channel: 'shop' }, 20], ['2025-07-07', { region: 'north', channel: 'web' }, 40],
      ['2025-07-07', { region: 'south', channel: 'shop' }, 50], ['2025-07-07', { region: 'south', channel: 'web' }, 40],
    ]);
  });

  it('filters by a dimension it does not group by', async () => {
    expect(rowsOf(await read(c, sum, { from: D1, to: D2, groupBy: ['region'], dims: { channel: 'web' } }))).toEqual([
      ['2025-07-07', { region: 'north' }, 40], ['2025-07-07', { region: 'south' }, 40],
    ]);
    expect(rowsOf(await read(c, sum, { ...week, dims: { store: 's3' } }))).toEqual([['2025-07-07', {}, 90], ['2025-07-08', {}, 2]]);
  });

  it('averages each group over its own rows, not over averages of smaller groups', async () => {
    // north on day 1: (10 + 20 + 30) / 3 = 20; the mean of the store means would be 22.5.
    expect(rowsOf(await read(c, avg, { from: D1, to: D2, groupBy: ['region'] }))).toEqual([
      ['2025-07-07', { region: 'north' }, 20], ['2025-07-07', { region: 'south' }, 45],
    ]);
  });

  it('groups the same way when computing on the fly for an as-of read', async () => {
    const asOf = await dbNow(ds);
    for (const q of [{ groupBy: ['region'] }, { groupBy: ['region', 'channel'] }, { groupBy: ['store'], dims: { channel: 'shop' } }, {}]) {
      expect(await read(c, sum, { ...week, ...q, asOf })).toEqual(await read(c, sum, { ...week, ...q }));
    }
  });
});

describe('metric reads: period comparisons', () => {
  let ds: DataSource;
  let c: MetricsContext;
  let source: string;

  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    c = metricsContext(ds);
    source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-07-01T10:00:00Z', amount: 10 }, { ts: '2025-07-02T10:00:00Z', amount: 0 }, { ts: '2025-07-03T10:00:00Z', amount: 20 },
      { ts: '2025-07-04T10:00:00Z', amount: 15 }, { ts: '2025-07-05T10:00:00Z', amount: 5 }, { ts: '2025-07-06T10:00:00Z', amount: 30 },
      { ts: '2024-01-15T10:00:00Z', amount: 100, region: 'north' }, { ts: '2024-02-15T10:00:00Z', amount: 50, region: 'north' },
      { ts: '2025-01-20T10:00:00Z', amount: 120, region: 'north' }, { ts: '2025-02-20T10:00:00Z', amount: 40, region: 'north' },
      { ts: '2025-02-21T10:00:00Z', amount: 8, region: 'south' },
    ]);
  });
  afterAll(() => ds.destroy());

  it('compares each day with the same day of the period just before, relative change null on a zero base', async () => {
    const def = await defineMetric(c, base(metricKey('daily'), source));
    const rows = await read(c, def, { from: '2025-07-04T00:00:00Z', to: '2025-07-07T00:00:00Z', compare: 'previous-period' });
    expect(rows.map((r) => [r.bucket.slice(0, 10), r.value, r.comparison])).toEqual([
      ['2025-07-04', 15, { bucket: '2025-07-01T00:00:00.000Z', value: 10, change: 5, changeRatio: 0.5 }],
      ['2025-07-05', 5, { bucket: '2025-07-02T00:00:00.000Z', value: 0, change: 5, changeRatio: null }],
      ['2025-07-06', 30, { bucket: '2025-07-03T00:00:00.000Z', value: 20, change: 10, changeRatio: 0.5 }],
    ]);
  });

  it('compares each month with the same month last year, per group', async () => {
    const def = await defineMetric(c, base(metricKey('monthly'), source, { grain: 'month', dimensions: ['region'] }));
    const rows = await read(c, def, { from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z', groupBy: ['region'], compare: 'same-period-last-year' });
    expect(rows.map((r) => [r.bucket.slice(0, 7), r.dims, r.value, r.comparison])).toEqual([
      ['2025-01', { region: 'north' }, 120, { bucket: '2024-01-01T00:00:00.000Z', value: 100, change: 20, changeRatio: 0.2 }],
      ['2025-02', { region: 'north' }, 40, { bucket: '2024-02-01T00:00:00.000Z', value: 50, change: -10, changeRatio: -0.2 }],
      ['2025-02', { region: 'south' }, 8, { bucket: '2024-02-01T00:00:00.000Z', value: null, change: null, changeRatio: null }],
    ]);
  });
});
