/**
 * A Postgres of its own that a spec or bench may stop and start again on the same port and data,
 * the way a maintenance restart or a failover looks to opsloop: the apps' connections break,
 * then the same server answers again. Migrated, with the apps' role granted, like the test stack.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '@opsloop/devstack';
import { dataSourceOptions, openDataSource } from '@opsloop/persistence';

export interface StoppablePostgres {
  /** The superuser, which migrates (DATABASE_MIGRATION_URL). */
  ownerUrl: string;
  /** The apps' role (DATABASE_URL). */
  appUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

export async function startStoppablePostgres(log?: (line: string) => void): Promise<StoppablePostgres> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-outage-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const options = { dataDir: path.join(scratch, 'pg'), port: await freePort(), database: 'opsloop', persistent: true, log };
  let running = await startEmbeddedPostgres(options);
  const ds = await openDataSource(dataSourceOptions(running.appUrl, 2), running.url);
  await ds.destroy();
  return {
    ownerUrl: running.url,
    appUrl: running.appUrl,
    stop: () => running.stop(),
    start: async () => {
      running = await startEmbeddedPostgres(options);
    },
    remove: async () => {
      await running.stop();
      fs.rmSync(running.dataDir, { recursive: true, force: true });
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
