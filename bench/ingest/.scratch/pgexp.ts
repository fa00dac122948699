import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { dataSourceOptions, openDataSource } from '@opsloop/persistence';
import { startInfra } from '../infra';
import { copyText } from '../data';
import { from as copyFrom } from 'pg-copy-streams';

async function copyInto(db: Client, table: string, chunks: Buffer[]): Promise<number> {
  const t = performance.now();
  await db.query('BEGIN');
  const s = db.query(copyFrom(`COPY ${table} (source_id, unique_key, series_key, dims, ts, value, record, batch_id) FROM STDIN`));
  const done = new Promise<void>((res, rej) => { s.on('finish', res); s.on('error', rej); });
  for (const c of chunks) if (!s.write(c)) await new Promise((r) => s.once('drain', r));
  s.end(); await done; await db.query('COMMIT');
  return performance.now() - t;
}

(async () => {
  const infra = await startInfra((l) => console.error(l));
  try {
    const ds = await openDataSource(dataSourceOptions(infra.databaseUrl, 2)); await ds.destroy();
    const db = new Client({ connectionString: infra.databaseUrl }); await db.connect();
    console.log((await db.query(`SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers','fsync','synchronous_commit','wal_level','max_wal_size','full_page_writes','work_mem','maintenance_work_mem','temp_buffers','checkpoint_timeout','wal_buffers')`)).rows);
    const src = (await db.query(`INSERT INTO sources (name, kind, schema) VALUES ('x','push','{}') RETURNING id`)).rows[0].id;
    const N = Number(process.env.N ?? 100000);
    const { chunks } = copyText(N, src, randomUUID());
    const variants: [string, string[]][] = [
      ['plain (no indexes)', []],
      ['pk only', ['ALTER TABLE T ADD PRIMARY KEY (source_id, unique_key)']],
      ['pk + series', ['ALTER TABLE T ADD PRIMARY KEY (source_id, unique_key)', 'CREATE INDEX ON T (source_id, series_key, ts)']],
      ['pk + series + ingested', ['ALTER TABLE T ADD PRIMARY KEY (source_id, unique_key)', 'CREATE INDEX ON T (source_id, series_key, ts)', 'CREATE INDEX ON T (source_id, ingested_at)']],
      ['all but fk', ['ALTER TABLE T ADD PRIMARY KEY (source_id, unique_key)', 'CREATE INDEX ON T (source_id, series_key, ts)', 'CREATE INDEX ON T (source_id, ingested_at)', 'CREATE INDEX ON T USING gin (dims jsonb_path_ops)']],
      ['all + fk', ['ALTER TABLE T ADD PRIMARY KEY (source_id, unique_key)', 'CREATE INDEX ON T (source_id, series_key, ts)', 'CREATE INDEX ON T (source_id, ingested_at)', 'CREATE INDEX ON T USING gin (dims jsonb_path_ops)', 'ALTER TABLE T ADD FOREIGN KEY (source_id) REFERENCES sources (id)']],
    ];
    for (const [name, ddl] of variants) {
      await db.query('DROP TABLE IF EXISTS t_exp');
      await db.query(`CREATE TABLE t_exp (LIKE observations INCLUDING DEFAULTS)`);
      for (const d of ddl) await db.query(d.replace(/\bT\b/g, 't_exp'));
      await db.query('CHECKPOINT');
      const ms = await copyInto(db, 't_exp', chunks);
      console.log(`${name}: ${ms.toFixed(0)} ms, ${(N / ms * 1000).toFixed(0)} rows/s`);
    }
    await db.end();
  } finally { await infra.stop(); }
})();
