/**
 * Runs pending migrations under a Postgres advisory lock, so the API and the worker can both
 * migrate at start without racing each other. With a separate migration role
 * (DATABASE_MIGRATION_URL) the owner migrates and grants the apps' role row rights only.
 */
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { grantAppRole } from './app-role';

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK_KEY = 7_405_001;

export async function migrateWithLock(dataSource: DataSource, afterMigrate?: (m: EntityManager) => Promise<void>): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (afterMigrate) await afterMigrate(runner.manager);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

export async function openDataSource(options: DataSourceOptions, migrationUrl?: string): Promise<DataSource> {
  // The apps' role may not create extensions; TypeORM would try (and Postgres log an ERROR) at connect.
  const ds = await connect(migrationUrl ? ({ ...options, installExtensions: false } as DataSourceOptions) : options, 'DATABASE_URL');
  if (!migrationUrl) {
    await migrateWithLock(ds);
    return ds;
  }
  try {
    const [{ role }] = (await ds.query('SELECT current_user AS role')) as { role: string }[];
    await migrateAsOwner(options, migrationUrl, role);
    return ds;
  } catch (err) {
    await ds.destroy();
    throw err;
  }
}

// Two connections: one holds the advisory lock while TypeORM runs the migrations on the other.
async function migrateAsOwner(options: DataSourceOptions, migrationUrl: string, appRole: string): Promise<void> {
  const owner = await connect({ ...options, url: migrationUrl, extra: { max: 2, application_name: 'opsloop-migrate' } } as DataSourceOptions, 'DATABASE_MIGRATION_URL');
  try {
    const [{ role }] = (await owner.query('SELECT current_user AS role')) as { role: string }[];
    await migrateWithLock(owner, role === appRole ? undefined : (m) => grantAppRole(m, appRole));
  } finally {
    await owner.destroy();
  }
}

async function connect(options: DataSourceOptions, variable: string): Promise<DataSource> {
  const ds = new DataSource(options);
  try {
    await ds.initialize();
  } catch (err) {
    throw new Error(`${variable}: cannot connect to Postgres at ${safeTarget(options)}: ${(err as Error).message}`);
  }
  return ds;
}

/** host:port/db of the URL, without credentials, for error messages. */
function safeTarget(options: DataSourceOptions): string {
  const url = 'url' in options ? options.url : undefined;
  if (!url) return 'the configured server';
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}
