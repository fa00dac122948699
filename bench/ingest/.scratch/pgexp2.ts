import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
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
const COLS = 'source_id, unique_key, series_key, dims, ts, value, record, batch_id';
(async () => {
  const infra = await startInfra((l) => console.error(l));
  try {
    const ds = await openDataSource(dataSourceOptions(infra.databaseUrl, 2)); await ds.destroy();
    const db = new Client({ connectionString: infra.databaseUrl }); await db.connect();
    const src = (await db.query(`INSERT INTO sources (name, kind, schema) VALUES ('x','push','{}') RETURNING id`)).rows[0].id;
    const N = Number(process.env.N ?? 100000);
    const { chunks } = copyText(N, src, randomUUID());
    await db.query(`CREATE TABLE ref (LIKE observations INCLUDING ALL)`);
    await db.query(`ALTER TABLE ref ADD FOREIGN KEY (source_id) REFERENCES sources (id)`);
    const time = async (label: string, f: () => Promise<void>) => { const t = performance.now(); await f(); const ms = performance.now() - t; console.log(`${label}: ${ms.toFixed(0)} ms`); return ms; };
    for (let round = 0; round < 2; round++) {
      await db.query('TRUNCATE ref, observations'); await db.query('CHECKPOINT');
      await time('raw COPY', async () => { await db.query('BEGIN'); await copyInto(db, `COPY ref (${COLS}) FROM STDIN`, chunks); await db.query('COMMIT'); });
      for (const [label, stageType, insert] of [
        ['temp jsonb + on conflict', 'TEMP', `INSERT INTO observations (${COLS}) SELECT * FROM st ON CONFLICT (source_id, unique_key) DO NOTHING`],
        ['temp jsonb + plain insert', 'TEMP', `INSERT INTO observations (${COLS}) SELECT * FROM st`],
        ['unlogged jsonb + on conflict', 'UNLOGGED', `INSERT INTO observations (${COLS}) SELECT * FROM st ON CONFLICT (source_id, unique_key) DO NOTHING`],
        ['temp jsonb + on conflict sorted', 'TEMP', `INSERT INTO observations (${COLS}) SELECT * FROM st ORDER BY unique_key ON CONFLICT (source_id, unique_key) DO NOTHING`],
      ] as const) {
        await db.query('TRUNCATE observations'); await db.query('CHECKPOINT');
        let stage = 0, move = 0;
        await time(label, async () => {
          await db.query('BEGIN');
          await db.query(`CREATE ${stageType} TABLE st (source_id uuid, unique_key text, series_key text, dims jsonb, ts timestamptz, value float8, record jsonb, batch_id uuid)${stageType === 'TEMP' ? ' ON COMMIT DROP' : ''}`);
          let t = performance.now(); await copyInto(db, `COPY st FROM STDIN`, chunks); stage = performance.now() - t;
          t = performance.now(); await db.query(insert); move = performance.now() - t;
          if (stageType === 'UNLOGGED') await db.query('DROP TABLE st');
          await db.query('COMMIT');
        });
        console.log(`   stage ${stage.toFixed(0)} ms, move ${move.toFixed(0)} ms`);
      }
    }
    await db.end();
  } finally { await infra.stop(); }
})();
