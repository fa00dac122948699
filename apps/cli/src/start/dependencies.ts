/**
 * Brings up what the apps need: the given DATABASE_URL / TEMPORAL_ADDRESS, or else an embedded
 * Postgres and a Temporal dev server whose state lives under OPSLOOP_HOME. The servers started
 * here can be started again on the same port and data (`processes`), which `npm start` does when
 * one dies.
 */
import path from 'node:path';
import { DevStackEnv } from '@opsloop/config';
import { ChildExit, defaultCacheDir, locateTemporalCli, startEmbeddedPostgres, startTemporalDevServer } from '@opsloop/devstack';
import { RecentLines } from './recent-lines';

export interface Dependencies {
  /** The schema owner's URL (the superuser for the embedded server): migrations, benches, admin work. */
  databaseUrl: string;
  /** What the apps connect with: a role without ownership when the embedded server runs; else DATABASE_URL. */
  appDatabaseUrl: string;
  /** Set when the apps' role is not the owner: the apps migrate with it (DATABASE_MIGRATION_URL). */
  migrationUrl: string | undefined;
  temporalAddress: string;
  temporalUiUrl: string | null;
  describe: { postgres: string; temporal: string };
  /** The servers started here whose process can be watched, in start order. */
  processes: DependencyProcess[];
  stop(): Promise<void>;
}

/** One server process started here: the one running now, and how to start it again. */
export interface DependencyProcess {
  name: 'postgres' | 'temporal';
  /** Its last output lines, also those kept off the console. */
  recent: RecentLines;
  current: ServerRun;
  /** Starts it again (same port, same data) after it ended; resolves once it serves. */
  restart(): Promise<ServerRun>;
}

export interface ServerRun {
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

/**
 * `ephemeral` is for tests: Postgres data is deleted on stop, Temporal keeps state in memory and
 * runs without its UI. Otherwise state persists under `home` across restarts.
 */
export interface DependencyOptions {
  ephemeral?: boolean;
}

interface Started<T> {
  facts: T;
  process: DependencyProcess | null;
  stop?: () => Promise<void>;
}

export async function startDependencies(
  env: DevStackEnv,
  home: string,
  log: (l: string) => void,
  opts: DependencyOptions = {},
): Promise<Dependencies> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stop failed: ${String(e)}`));
  };
  try {
    const pg = await postgres(env, home, log, opts);
    if (pg.stop) stops.push(pg.stop);
    const temporal = await temporalServer(env, home, log, opts);
    if (temporal.stop) stops.push(temporal.stop);
    return {
      databaseUrl: pg.facts.url,
      appDatabaseUrl: pg.facts.appUrl,
      migrationUrl: pg.facts.migrationUrl,
      temporalAddress: temporal.facts.address,
      temporalUiUrl: temporal.facts.uiUrl,
      describe: { postgres: pg.facts.describe, temporal: temporal.facts.describe },
      processes: [pg.process, temporal.process].filter((p): p is DependencyProcess => p !== null),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Wraps a server start so that it can run again: `stop` stops the latest run. A run's `stop` may
 * be called more than once, and also cleans up after a run that died (pid file, throwaway data).
 */
function restartable(name: DependencyProcess['name'], recent: RecentLines, first: ServerRun, again: () => Promise<ServerRun>): { process: DependencyProcess; stop: () => Promise<void> } {
  const proc: DependencyProcess = {
    name,
    recent,
    current: first,
    restart: async () => (proc.current = await again()),
  };
  return { process: proc, stop: () => proc.current.stop() };
}

interface PostgresFacts { url: string; appUrl: string; migrationUrl: string | undefined; describe: string }

async function postgres(env: DevStackEnv, home: string, log: (l: string) => void, opts: DependencyOptions): Promise<Started<PostgresFacts>> {
  if (env.DATABASE_URL) {
    const facts = { url: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL, appUrl: env.DATABASE_URL, migrationUrl: env.DATABASE_MIGRATION_URL, describe: 'external (DATABASE_URL)' };
    return { facts, process: null };
  }
  const dataDir = path.join(home, 'pg');
  const recent = new RecentLines();
  log(`starting embedded Postgres on 127.0.0.1:${env.OPSLOOP_PG_PORT} (data in ${dataDir})`);
  const start = () => startEmbeddedPostgres({
    dataDir,
    port: env.OPSLOOP_PG_PORT,
    database: 'opsloop',
    persistent: !opts.ephemeral,
    log: (l) => {
      recent.push(l);
      if (/\b(ERROR|FATAL|PANIC)\b|^Postgres data lives in|^the postgres user cannot/.test(l)) log(`[postgres] ${l}`);
    },
  });
  const pg = await start();
  const watched = restartable('postgres', recent, pg, start);
  const facts = { url: pg.url, appUrl: pg.appUrl, migrationUrl: pg.url, describe: `embedded, 127.0.0.1:${env.OPSLOOP_PG_PORT}, data in ${pg.dataDir}` };
  return { facts, ...watched };
}

interface TemporalFacts { address: string; uiUrl: string | null; describe: string }

async function temporalServer(env: DevStackEnv, home: string, log: (l: string) => void, opts: DependencyOptions): Promise<Started<TemporalFacts>> {
  if (env.TEMPORAL_ADDRESS) {
    return { facts: { address: env.TEMPORAL_ADDRESS, uiUrl: null, describe: 'external (TEMPORAL_ADDRESS)' }, process: null };
  }
  const cli = locateTemporalCli({ cliPath: env.TEMPORAL_CLI_PATH, cacheDir: env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), log });
  const recent = new RecentLines();
  log(`starting Temporal dev server on 127.0.0.1:${env.OPSLOOP_TEMPORAL_PORT} (${cli ? `${cli.source}: ${cli.path}` : 'SDK download'})`);
  const start = () => startTemporalDevServer({
    cli,
    port: env.OPSLOOP_TEMPORAL_PORT,
    uiPort: env.OPSLOOP_TEMPORAL_UI_PORT,
    namespace: env.TEMPORAL_NAMESPACE,
    headless: opts.ephemeral,
    dbFile: opts.ephemeral ? undefined : path.join(home, 'temporal.db'),
    pidFile: opts.ephemeral ? undefined : path.join(home, 'temporal.pid'),
    log: (l) => {
      recent.push(l);
      log(`[temporal] ${l}`);
    },
  });
  const server = await start();
  const state = opts.ephemeral ? 'in memory' : `state in ${path.join(home, 'temporal.db')}`;
  const facts = { address: server.address, uiUrl: server.uiUrl, describe: `dev server, ${server.address}, ${state}` };
  // A server the SDK runs gives no process to watch: it is stopped at the end, never restarted.
  if (!server.exited) return { facts, process: null, stop: server.stop };
  const again = async (): Promise<ServerRun> => {
    const s = await start();
    return { exited: s.exited!, stop: s.stop };
  };
  return { facts, ...restartable('temporal', recent, { exited: server.exited, stop: server.stop }, again) };
}
