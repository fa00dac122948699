/**
 * A migrated database of its own on the test Postgres, for specs that tamper with data other
 * specs read (the ledger) and so must never touch the shared database.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, grantAppRole, migrateWithLock } from '@opsloop/persistence';

/** The schema owner's URL: the apps' role (DATABASE_URL) may not create databases or bypass triggers. */
export function ownerDatabaseUrl(): string {
  return process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL!;
}

export interface ScratchDatabase {
  /** The apps' role on the scratch database. */
  url: string;
  /** The owner on the scratch database, as a DBA would connect. */
  ownerUrl: string;
  /** An owner's DataSource on the scratch database, opened on first use and closed by drop(). */
  dataSource(): Promise<DataSource>;
  /**
   * Runs SQL as a superuser who switches triggers off first (session_replication_role), the way
   * someone with full database rights would rewrite history: only the hash chain and the
   * anchors can tell.
   */
  asDba(sql: string, params?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

/** `migrate: false` leaves it empty, as a database no opsloop process has started against. */
export async function createScratchDatabase(label: string, { migrate = true } = {}): Promise<ScratchDatabase> {
  const name = `opsloop_${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = withDatabase(process.env.DATABASE_URL!, name);
  const ownerUrl = withDatabase(ownerDatabaseUrl(), name);
  const appRole = decodeURIComponent(new URL(url).username);
  const ds = new DataSource(dataSourceOptions(ownerUrl, 10));
  let opened: Promise<DataSource> | undefined;
  const dataSource = () => (opened ??= ds.initialize());
  if (migrate) await migrateWithLock(await dataSource(), url === ownerUrl ? undefined : (m) => grantAppRole(m, appRole));
  return {
    url,
    ownerUrl,
    dataSource,
    asDba: async (sql, params) => (await dataSource()).transaction(async (m) => {
      await m.query('SET LOCAL session_replication_role = replica');
      return m.query(sql, params);
    }),
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
}

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: ownerDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
