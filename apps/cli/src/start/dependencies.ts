/**
 * Brings up what the apps need: the given DATABASE_URL / TEMPORAL_ADDRESS, or else an embedded
 * Postgres and a Temporal dev server whose state lives under OPSLOOP_HOME.
 */
import path from 'node:path';
import { DevStackEnv } from '@opsloop/config';
import { defaultCacheDir, locateTemporalCli, startEmbeddedPostgres, startTemporalDevServer } from '@opsloop/devstack';

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
  stop(): Promise<void>;
}

/**
 * `ephemeral` is for tests: Postgres data is deleted on stop, Temporal keeps state in memory and
 * runs without its UI. Otherwise state persists under `home` across restarts.
 */
export interface DependencyOptions {
  ephemeral?: boolean;
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
      databaseUrl: pg.url,
      appDatabaseUrl: pg.appUrl,
      migrationUrl: pg.migrationUrl,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      describe: { postgres: pg.describe, temporal: temporal.describe },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function postgres(env: DevStackEnv, home: string, log: (l: string) => void, opts: DependencyOptions) {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL, appUrl: env.DATABASE_URL, migrationUrl: env.DATABASE_MIGRATION_URL, describe: 'external (DATABASE_URL)', stop: undefined };
  }
  const dataDir = path.join(home, 'pg');
  log(`starting embedded Postgres on 127.0.0.1:${env.OPSLOOP_PG_PORT} (data in ${dataDir})`);
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: env.OPSLOOP_PG_PORT,
    database: 'opsloop',
    persistent: !opts.ephemeral,
    log: (l) => { if (/\b(ERROR|FATAL|PANIC)\b|^Postgres data lives in|^the postgres user cannot/.test(l)) log(`[postgres] ${l}`); },
  });
  return { url: pg.url, appUrl: pg.appUrl, migrationUrl: pg.url, describe: `embedded, 127.0.0.1:${env.OPSLOOP_PG_PORT}, data in ${pg.dataDir}`, stop: pg.stop };
}

async function temporalServer(env: DevStackEnv, home: string, log: (l: string) => void, opts: DependencyOptions) {
  if (env.TEMPORAL_ADDRESS) {
    return { address: env.TEMPORAL_ADDRESS, uiUrl: null, describe: 'external (TEMPORAL_ADDRESS)', stop: undefined };
  }
  const cli = locateTemporalCli({ cliPath: env.TEMPORAL_CLI_PATH, cacheDir: env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), log });
  log(`starting Temporal dev server on 127.0.0.1:${env.OPSLOOP_TEMPORAL_PORT} (${cli ? `${cli.source}: ${cli.path}` : 'SDK download'})`);
  const server = await startTemporalDevServer({
    cli,
    port: env.OPSLOOP_TEMPORAL_PORT,
    uiPort: env.OPSLOOP_TEMPORAL_UI_PORT,
    namespace: env.TEMPORAL_NAMESPACE,
    headless: opts.ephemeral,
    dbFile: opts.ephemeral ? undefined : path.join(home, 'temporal.db'),
    pidFile: opts.ephemeral ? undefined : path.join(home, 'temporal.pid'),
    log: (l) => log(`[temporal] ${l}`),
  });
  const state = opts.ephemeral ? 'in memory' : `state in ${path.join(home, 'temporal.db')}`;
  return { ...server, describe: `dev server, ${server.address}, ${state}` };
}
