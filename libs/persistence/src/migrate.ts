/**
 * Runs pending migrations under a Postgres advisory lock, so the API and the worker can both
 * migrate at start without racing each other.
 */
import { DataSource } from 'typeorm';

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK_KEY = 7_405_001;

export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

export async function openDataSource(options: ConstructorParameters<typeof DataSource>[0]): Promise<DataSource> {
  const ds = new DataSource(options);
  try {
    await ds.initialize();
  } catch (err) {
    throw new Error(`DATABASE_URL: cannot connect to Postgres at ${safeTarget(options)}: ${(err as Error).message}`);
  }
  await migrateWithLock(ds);
  return ds;
}

/** host:port/db of the URL, without credentials, for error messages. */
function safeTarget(options: ConstructorParameters<typeof DataSource>[0]): string {
  const url = 'url' in options ? options.url : undefined;
  if (!url) return 'the configured server';
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}
