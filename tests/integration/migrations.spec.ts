import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock, MIGRATIONS } from '@opsloop/persistence';
import { ownerDatabaseUrl } from '../support/scratch-database';

/** A database of its own, so going down and up again disturbs no other spec. */
async function withScratchDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const base = new URL(ownerDatabaseUrl());
  const name = `opsloop_mig_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: ownerDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    base.pathname = `/${name}`;
    await fn(base.toString());
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const tables = async (ds: DataSource) =>
  (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename);

describe('migrations', () => {
  it('go up, all the way down, and up again', async () => {
    await withScratchDatabase(async (url) => {
      const ds = await new DataSource(dataSourceOptions(url, 2)).initialize();
      try {
        expect(await migrateWithLock(ds)).toHaveLength(MIGRATIONS.length);
        expect(await tables(ds)).toEqual(expect.arrayContaining(['api_keys', 'round_trips', 'opsloop_migrations']));
        for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
        expect(await tables(ds)).toEqual(['opsloop_migrations']);
        expect(await migrateWithLock(ds)).toHaveLength(MIGRATIONS.length);
      } finally {
        await ds.destroy();
      }
    });
  });

  it('let two processes migrate at once without a clash', async () => {
    await withScratchDatabase(async (url) => {
      const a = await new DataSource(dataSourceOptions(url, 2)).initialize();
      const b = await new DataSource(dataSourceOptions(url, 2)).initialize();
      try {
        const [ranA, ranB] = await Promise.all([migrateWithLock(a), migrateWithLock(b)]);
        expect(ranA.length + ranB.length).toBe(MIGRATIONS.length);
      } finally {
        await a.destroy();
        await b.destroy();
      }
    });
  });

  it('never synchronise the schema from entities', () => {
    expect(dataSourceOptions('postgres://x@localhost/x')).toMatchObject({ synchronize: false, migrationsRun: false });
  });
});
