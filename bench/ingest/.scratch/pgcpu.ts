import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { dataSourceOptions, openDataSource } from '@opsloop/persistence';
import { startInfra } from '../infra';
import { copyText } from '../data';
import { from as copyFrom } from 'pg-copy-streams';

async function copyInto(db: Client, sql: string, chunks: Buffer[]): Promise<void> {
  const s = db.query(copyFrom(sql));
  const done = new Promise<void>((res, rej) => { s.on('finish', res); s.on('error', rej); });
  for (const c of chunks) if (!s.write(c)) await new Promise((r) => s.once('drain', r));
  s.end(); await done;
}
const cpu = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) / 100; };
const COLS = 'source_id, unique_key, series_key, dims, ts, value, record, batch_id';
(async () => {
  const infra = await startInfra((l) => console.error(l));
  try {
    const ds = await openDataSource(dataSourceOptions(infra.databaseUrl, 2)); await ds.destroy();
    const db = new Client({ connectionString: infra.databaseUrl }); await db.connect();
    const pid = (await db.query('SELECT pg_backend_pid() AS p')).rows[0].p;
    const src = (await db.query(`INSERT INTO sources (name, kind, schema) VALUES ('x','push','{}') RETURNING id`)).rows[0].id;
    const N = Number(process.env.N ?? 200000);
    const { chunks } = copyText(N, src, randomUUID());
    const measure = async (label: string, f: () => Promise<void>) => { const c0 = cpu(pid); const t = performance.now(); await f(); const ms = performance.now() - t; const c = cpu(pid) - c0; console.log(`${label}: wall ${ms.toFixed(0)} ms, backend cpu ${c.toFixed(2)} s => ${(N / c).toFixed(0)} rows per cpu-second`); };
    const table = async (ddl: string[]) => { await db.query('DROP TABLE IF EXISTS t'); await db.query('CREATE TABLE t (LIKE observations INCLUDING DEFAULTS)'); for (const d of ddl) await db.query(d); await db.query('CHECKPOINT'); };
    const PK = 'ALTER TABLE t ADD PRIMARY KEY (source_id, unique_key)', SER = 'CREATE INDEX ON t (source_id, series_key, ts)', ING = 'CREATE INDEX ON t (source_id, ingested_at)', GIN = 'CREATE INDEX ON t USING gin (dims jsonb_path_ops)', FK = 'ALTER TABLE t ADD FOREIGN KEY (source_id) REFERENCES sources (id)';
    const raw = async (label: string, ddl: string[]) => { await table(ddl); await measure(`raw ${label}`, async () => { await db.query('BEGIN'); await copyInto(db, `COPY t (${COLS}) FROM STDIN`, chunks); await db.query('COMMIT'); }); };
    await raw('no index', []);
    await raw('pk', [PK]);
    await raw('pk+series+ingested', [PK, SER, ING]);
    await raw('all idx', [PK, SER, ING, GIN]);
    await raw('all idx + fk', [PK, SER, ING, GIN, FK]);
    await table([PK, SER, ING, GIN, FK]);
    await db.query('BEGIN');
    await db.query(`CREATE TEMP TABLE st (source_id uuid, unique_key text, series_key text, dims jsonb, ts timestamptz, value float8, record jsonb, batch_id uuid) ON COMMIT DROP`);
    await measure('stage copy', () => copyInto(db, 'COPY st FROM STDIN', chunks));
    await measure('move on conflict', async () => { await db.query(`INSERT INTO t (${COLS}) SELECT * FROM st ON CONFLICT (source_id, unique_key) DO NOTHING`); });
    await db.query('COMMIT');
    await table([PK, SER, ING, GIN, FK]);
    await db.query('BEGIN');
    await db.query(`CREATE TEMP TABLE st (source_id uuid, unique_key text, series_key text, dims jsonb, ts timestamptz, value float8, record jsonb, batch_id uuid) ON COMMIT DROP`);
    await copyInto(db, 'COPY st FROM STDIN', chunks);
    await measure('move on conflict sorted', async () => { await db.query(`INSERT INTO t (${COLS}) SELECT * FROM st ORDER BY unique_key ON CONFLICT (source_id, unique_key) DO NOTHING`); });
    await db.query('COMMIT');
    await db.end();
  } finally { await infra.stop(); }
})();
