/**
 * Starts the real servers once for all integration and e2e specs, the same way `npm start` does
 * but ephemeral: an embedded Postgres in a throwaway directory and a headless in-memory Temporal
 * dev server, both on free ports (or the ones DATABASE_URL / TEMPORAL_ADDRESS name). Migrates
 * once and bundles the workflows once; specs find everything through environment variables.
 */
// Jest loads global setup with plain require, without moduleNameMapper: resolve lib aliases first.
import '../../tools/register-paths';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { freePort } from '@opsloop/devstack';
import { dataSourceOptions, openDataSource } from '@opsloop/persistence';
import { bundleWorkflows } from '@opsloop/temporal';
import { startDependencies } from '../../apps/cli/src/start/dependencies';
import { TEST_ADMIN_KEY } from './constants';

export default async function globalSetup(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-test-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const stops: (() => Promise<void>)[] = [];
  (globalThis as Record<string, unknown>).__OPSLOOP_TEST_STACK__ = { scratch, stops };

  const env = validateEnv(DevStackEnv, {
    ...process.env,
    OPSLOOP_PG_PORT: String(await freePort()),
    OPSLOOP_TEMPORAL_PORT: String(await freePort()),
  });
  const deps = await startDependencies(env, scratch, (l) => process.stderr.write(`[test-stack] ${l}\n`), { ephemeral: true });
  stops.push(deps.stop);
  // The apps connect as a role that does not own the schema, as `npm start` runs them; specs
  // that need the owner (CREATE DATABASE, tampering as a DBA would) use DATABASE_MIGRATION_URL.
  process.env.DATABASE_URL = deps.appDatabaseUrl;
  if (deps.migrationUrl) process.env.DATABASE_MIGRATION_URL = deps.migrationUrl;
  process.env.TEMPORAL_ADDRESS = deps.temporalAddress;

  const ds = await openDataSource(dataSourceOptions(deps.appDatabaseUrl, 2), deps.migrationUrl);
  await ds.destroy();

  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, await bundleWorkflows());
  process.env.OPSLOOP_WORKFLOW_BUNDLE = bundlePath;
  process.env.OPSLOOP_ADMIN_KEY = TEST_ADMIN_KEY;
  process.env.OPSLOOP_ANCHOR_DIR = path.join(scratch, 'anchors');
  // The apps refuse to start without one; a random key keeps any real key out of the tests.
  process.env.OPSLOOP_SECRET_KEY = randomBytes(32).toString('base64');
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
}
