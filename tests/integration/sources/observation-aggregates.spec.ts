/** ObservationAggregates on a migrated scratch database: daily totals, newest records, dimension matches. */
import { DataSource } from 'typeorm';
import { TypeOrmObservationAggregates } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';

describe('observation aggregates', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let agg: TypeOrmObservationAggregates;
  let sourceId: string;
  const insert = (rows: [string, Record<string, string>, string, number | null, Record<string, unknown>?][]) =>
    ds.query(
      `INSERT INTO observations (source_id, unique_key, series_key, dims, ts, value, record, batch_id)
       SELECT $1, r->>'k' || '@' || (r->>'ts'), r->>'k', r->'dims', (r->>'ts')::timestamptz, (r->>'v')::float8, coalesce(r->'rec', '{}'),
              '00000000-0000-4000-8000-000000000001'
       FROM jsonb_array_elements($2::jsonb) AS r`,
      [sourceId, JSON.stringify(rows.map(([k, dims, ts, v, rec]) => ({ k, dims, ts, v, rec })))],
    );

  beforeAll(async () => {
    db = await createScratchDatabase('obsagg');
    ds = await db.dataSource();
    agg = new TypeOrmObservationAggregates(ds);
    [{ id: sourceId }] = await ds.query(`INSERT INTO sources (name, kind, schema) VALUES ('agg', 'push', '{}') RETURNING id`);
    const a = { sku: 'A', location: 's1' };
    const b = { sku: 'B', location: 's1', status: 'open' };
    await insert([
      ['A|s1', a, '2024-05-01T08:00:00Z', 3], ['A|s1', a, '2024-05-01T17:00:00Z', 4], ['A|s1', a, '2024-05-03T09:00:00Z', 5],
      ['A|s1', a, '2024-05-04T23:59:59Z', 1, { note: 'newest A' }],
      ['B|s1', b, '2024-05-03T12:00:00Z', 2, { poNumber: 'P-1' }], ['B|s1', b, '2024-05-02T12:00:00Z', 6, { poNumber: 'P-0' }],
    ]);
  });
  afterAll(() => db.drop());

  it('sums each series per UTC day, fills days without rows with 0, and ends on the newest day', async () => {
    const totals = await agg.dailyTotals(sourceId, { days: 10 });
    expect(totals).toEqual({
      through: '2024-05-04',
      series: [
        { seriesKey: 'A|s1', start: '2024-05-01', values: [7, 0, 5, 1] },
        { seriesKey: 'B|s1', start: '2024-05-02', values: [6, 2, 0] },
      ],
    });
  });

  it('keeps to the window and the series asked for', async () => {
    const totals = await agg.dailyTotals(sourceId, { days: 2, through: '2024-05-03', seriesKeys: ['A|s1'] });
    expect(totals.series).toEqual([{ seriesKey: 'A|s1', start: '2024-05-03', values: [5] }]);
    expect(await agg.dailyTotals(sourceId, { days: 5, seriesKeys: ['nope'] })).toEqual({ through: null, series: [] });
  });

  it('gives the newest record of every series, and every record matching dimensions oldest first', async () => {
    const latest = await agg.latestRecords(sourceId);
    expect(latest.map((r) => [r.seriesKey, r.ts, r.value, r.record])).toEqual([
      ['A|s1', '2024-05-04T23:59:59.000Z', 1, { note: 'newest A' }],
      ['B|s1', '2024-05-03T12:00:00.000Z', 2, { poNumber: 'P-1' }],
    ]);
    const open = await agg.matching(sourceId, { status: 'open' }, 10);
    expect(open.map((r) => r.record['poNumber'])).toEqual(['P-0', 'P-1']);
    expect(await agg.matching(sourceId, { status: 'open' }, 1)).toHaveLength(1);
  });
});
