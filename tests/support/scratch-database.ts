/**
 * A migrated database of its own on the test Postgres, for specs that tamper with data other
 * specs read (the ledger) and so must never touch the shared database.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateWithLock } from '@opsloop/persistence';

export interface ScratchDatabase {
  url: string;
  /** A DataSource on the scratch database, opened on first use and closed by drop(). */
  dataSource(): Promise<DataSource>;
  drop(): Promise<void>;
}

/** `migrate: false` leaves it empty, as a database no opsloop process has started against. */
export async function createScratchDatabase(label: string, { migrate = true } = {}): Promise<ScratchDatabase> {
  const name = `opsloop_${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions(url.toString(), 10));
  let opened: Promise<DataSource> | undefined;
  const dataSource = () => (opened ??= ds.initialize());
  if (migrate) await migrateWithLock(await dataSource());
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
