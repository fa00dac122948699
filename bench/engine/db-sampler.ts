/**
 * Samples what the worker's Postgres connections are doing while a phase runs (pg_stat_activity),
 * to tell a saturated connection pool from lock waits when the engine slows down under load.
 */
import { Client } from 'pg';
import { round } from './stats';

export interface DbSample {
  samples: number;
  /** Mean number of the worker's connections open / running a query. */
  meanOpen: number;
  meanActive: number;
  /** Inside a transaction but waiting for the worker (e.g. between the ledger's statements). */
  meanIdleInTransaction: number;
  /** Mean number of active connections waiting on a lock, and the lock waits seen most. */
  meanLockWaits: number;
  waitEvents: Record<string, number>;
}

const QUERY = `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
  WHERE application_name = 'opsloop' AND pid <> pg_backend_pid()`;

export interface DbCounters {
  commits: number;
  walSyncs: number;
}

/** Transactions committed and WAL fsyncs so far in this database (pg_stat_database, pg_stat_wal). */
export async function dbCounters(databaseUrl: string): Promise<DbCounters> {
  const pg = new Client({ connectionString: databaseUrl, application_name: 'opsloop-bench-sampler' });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ commits: string; wal_syncs: string }>(
      `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
              (SELECT wal_sync FROM pg_stat_wal) AS wal_syncs`);
    return { commits: Number(rows[0]!.commits), walSyncs: Number(rows[0]!.wal_syncs) };
  } finally {
    await pg.end();
  }
}

type Row = { state: string | null; wait_event_type: string | null; wait_event: string | null };

export async function sampleDuring<T>(databaseUrl: string, periodMs: number, work: () => Promise<T>): Promise<{ result: T; db: DbSample }> {
  const pg = new Client({ connectionString: databaseUrl, application_name: 'opsloop-bench-sampler' });
  await pg.connect();
  const rows: Row[][] = [];
  let done = false;
  const sampling = (async () => {
    while (!done) {
      rows.push((await pg.query<Row>(QUERY)).rows);
      await new Promise((r) => setTimeout(r, periodMs));
    }
  })();
  try {
    const result = await work();
    return { result, db: summarize(rows) };
  } finally {
    done = true;
    await sampling.catch(() => undefined);
    await pg.end();
  }
}

function summarize(rows: Row[][]): DbSample {
  const n = Math.max(rows.length, 1);
  const active = rows.map((r) => r.filter((c) => c.state === 'active'));
  const waitEvents: Record<string, number> = {};
  for (const c of active.flat()) {
    if (!c.wait_event_type) continue;
    const key = `${c.wait_event_type}:${c.wait_event}`;
    waitEvents[key] = (waitEvents[key] ?? 0) + 1;
  }
  return {
    samples: rows.length,
    meanOpen: round(rows.reduce((s, r) => s + r.length, 0) / n),
    meanActive: round(active.reduce((s, r) => s + r.length, 0) / n),
    meanIdleInTransaction: round(rows.reduce((s, r) => s + r.filter((c) => c.state === 'idle in transaction').length, 0) / n),
    meanLockWaits: round(active.reduce((s, r) => s + r.filter((c) => c.wait_event_type === 'Lock').length, 0) / n),
    waitEvents,
  };
}
