/** ObservationReader on a migrated scratch database: series by key, time, dimensions and limit, read by index. */
import { DataSource } from 'typeorm';
import { TypeOrmObservationReader } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';

describe('observation reader', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let reader: TypeOrmObservationReader;
  let sourceId: string;

  beforeAll(async () => {
    db = await createScratchDatabase('obsreader');
    ds = await db.dataSource();
    reader = new TypeOrmObservationReader(ds);
    const [{ id }] = await ds.query(`INSERT INTO sources (name, kind, schema) VALUES ('r', 'push', '{}') RETURNING id`);
    sourceId = id;
    const batch = '00000000-0000-4000-8000-000000000001';
    // Three series, hourly; store-2 has a null value at 02:00.
    await ds.query(
      `INSERT INTO observations (source_id, unique_key, series_key, dims, ts, value, batch_id)
       SELECT $1, s.key || '@' || h, s.key, s.dims::jsonb, '2024-05-01T00:00:00Z'::timestamptz + h * interval '1 hour',
              CASE WHEN s.key = 'B|store-2' AND h = 2 THEN NULL ELSE s.base + h END, $2
       FROM (VALUES ('A|store-1', '{"sku":"A","store":"store-1"}', 10), ('A|store-2', '{"sku":"A","store":"store-2"}', 20),
                    ('B|store-2', '{"sku":"B","store":"store-2"}', 30)) AS s(key, dims, base),
            generate_series(0, 2) AS h`,
      [sourceId, batch],
    );
  });
  afterAll(() => db.drop());

  it('returns the newest point of each requested series, in the order asked, leaving out unknown ones', async () => {
    const read = await reader.series(sourceId, { seriesKeys: ['B|store-2', 'nope', 'A|store-1'], limit: 1 });
    expect(read).toEqual([
      { seriesKey: 'B|store-2', dims: { sku: 'B', store: 'store-2' }, points: [{ ts: '2024-05-01T02:00:00.000Z', value: null }] },
      { seriesKey: 'A|store-1', dims: { sku: 'A', store: 'store-1' }, points: [{ ts: '2024-05-01T02:00:00.000Z', value: 12 }] },
    ]);
  });

  it('reads every series of the source, oldest point first, within [from, to) and the dimension filter', async () => {
    const read = await reader.series(sourceId, { from: '2024-05-01T01:00:00Z', to: '2024-05-01T03:00:00Z', dims: { store: 'store-2' } });
    expect(read.map((s) => [s.seriesKey, s.points.map((p) => p.value)])).toEqual([['A|store-2', [21, 22]], ['B|store-2', [31, null]]]);
    expect(await reader.series(sourceId, { seriesKeys: [] })).toEqual([]);
  });

  it('reads each series with the (source_id, series_key, ts) index, also when walking all series', async () => {
    for (const q of [{ seriesKeys: ['A|store-1'], limit: 1 }, { from: '2024-05-01T01:00:00Z', limit: 5 }]) {
      const plan = await planOf(() => reader.series(sourceId, q));
      expect(plan).toMatch(/ix_observations_series_ts/);
      expect(plan).not.toMatch(/Seq Scan on observations/);
    }
  });

  /** The plan of the one SQL statement `read` sends, on a connection where sequential scans are a last resort. */
  async function planOf(read: () => Promise<unknown>): Promise<string> {
    const query = jest.spyOn(ds, 'query');
    await read();
    const [sql, params] = query.mock.calls[0] as [string, unknown[]];
    query.mockRestore();
    const runner = ds.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  }
});
