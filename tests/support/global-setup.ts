/**
 * Starts the real servers once for all integration and e2e specs: an embedded Postgres in a
 * throwaway directory and a headless Temporal dev server, both on free ports. Migrates once and
 * bundles the workflows once; specs find everything through environment variables.
 */
// Jest loads global setup with plain require, without moduleNameMapper: resolve lib aliases first.
import '../../tools/register-paths';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataSourceOptions, openDataSource } from '@opsloop/persistence';
import { bundleWorkflows } from '@opsloop/temporal';
import {
  defaultCacheDir,
  freePort,
  locateTemporalCli,
  startEmbeddedPostgres,
  startTemporalDevServer,
} from '@opsloop/devstack';
import { TEST_ADMIN_KEY } from './constants';

export default async function globalSetup(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-test-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const stops: (() => Promise<void>)[] = [];
  (globalThis as Record<string, unknown>).__OPSLOOP_TEST_STACK__ = { scratch, stops };
  const log = (l: string) => process.stderr.write(`[test-stack] ${l}\n`);

  if (!process.env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(scratch, 'pg'),
      port: await freePort(),
      database: 'opsloop_test',
      persistent: false,
    });
    stops.push(pg.stop);
    process.env.DATABASE_URL = pg.url;
  }
  if (!process.env.TEMPORAL_ADDRESS) {
    const cli = locateTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, cacheDir: process.env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), log });
    const temporal = await startTemporalDevServer({
      cli,
      port: await freePort(),
      uiPort: await freePort(),
      namespace: 'default',
      headless: true,
    });
    stops.push(temporal.stop);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }

  const ds = await openDataSource(dataSourceOptions(process.env.DATABASE_URL!, 2));
  await ds.destroy();

  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, await bundleWorkflows());
  process.env.OPSLOOP_WORKFLOW_BUNDLE = bundlePath;
  process.env.OPSLOOP_ADMIN_KEY = TEST_ADMIN_KEY;
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
}
