/**
 * The servers: an embedded Postgres whose data directory persists in the bench's scratch
 * directory (the loaded dataset takes minutes to build and is kept as a template database), and
 * an in-memory Temporal dev server from the cached CLI, both on free ports. DATABASE_URL and
 * TEMPORAL_ADDRESS point the bench at existing servers instead (it creates databases there).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { defaultCacheDir, freePort, locateTemporalCli, startEmbeddedPostgres, startTemporalDevServer } from '@opsloop/devstack';
import type { ServerProcesses } from '../../engine/cpu';

export const SCRATCH = path.resolve(__dirname, '../.scratch/scale');
const NAMESPACE = 'default';

export interface Stack {
  /** A connection URL to database `name` on the bench's Postgres server. */
  databaseUrl(name: string): string;
  /** A client on the maintenance database, for CREATE / DROP DATABASE. */
  admin(): Promise<Client>;
  temporal: { address: string; namespace: string };
  processes: ServerProcesses;
  describe: { postgres: string; temporal: string };
  stop(): Promise<void>;
}

export async function startStack(log: (line: string) => void): Promise<Stack> {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log(`stop failed: ${String(err)}`));
  };
  try {
    const pg = await postgres(log);
    if (pg.stop) stops.push(pg.stop);
    const temporal = await temporalServer(log);
    if (temporal.stop) stops.push(temporal.stop);
    return {
      databaseUrl: (name) => withDatabase(pg.url, name),
      admin: async () => {
        const client = new Client({ connectionString: withDatabase(pg.url, 'postgres') });
        await client.connect();
        return client;
      },
      temporal: { address: temporal.address, namespace: NAMESPACE },
      processes: { temporalPort: temporal.port, pgDataDir: pg.dataDir },
      describe: { postgres: pg.describe, temporal: temporal.describe },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function postgres(log: (line: string) => void) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, dataDir: null, describe: 'external (DATABASE_URL)', stop: undefined };
  }
  fs.chmodSync(path.dirname(SCRATCH), 0o755); // the embedded Postgres runs as the postgres user
  fs.chmodSync(SCRATCH, 0o755);
  const dataDir = path.join(SCRATCH, 'pg');
  const port = await freePort();
  log(`starting embedded Postgres on 127.0.0.1:${port} (data kept in ${path.relative(process.cwd(), dataDir)})`);
  const pg = await startEmbeddedPostgres({
    dataDir, port, database: 'postgres', persistent: true,
    log: (l) => { if (/\b(ERROR|FATAL|PANIC)\b/.test(l)) log(`[postgres] ${l}`); },
  });
  return { url: pg.url, dataDir, describe: `embedded, stock settings, data in ${dataDir}`, stop: pg.stop };
}

async function temporalServer(log: (line: string) => void) {
  if (process.env.TEMPORAL_ADDRESS) {
    return { address: process.env.TEMPORAL_ADDRESS, port: null, describe: 'external (TEMPORAL_ADDRESS)', stop: undefined };
  }
  const cli = locateTemporalCli({ cacheDir: process.env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), cliPath: process.env.TEMPORAL_CLI_PATH, log });
  const port = await freePort();
  log(`starting Temporal dev server on 127.0.0.1:${port} (${cli ? `${cli.source}: ${cli.path}` : 'SDK download'})`);
  const server = await startTemporalDevServer({
    cli, port, uiPort: await freePort(), namespace: NAMESPACE, headless: true, log: (l) => log(`[temporal] ${l}`),
  });
  const version = cli ? execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim() : 'SDK download';
  return { address: server.address, port, describe: `dev server in memory (${version})`, stop: server.stop };
}
