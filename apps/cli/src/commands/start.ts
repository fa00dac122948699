/**
 * `npm start`: dependencies, then the worker and the API, then a summary of where everything is.
 * Ctrl-C (or SIGTERM) stops the apps first, then Temporal, then Postgres, and leaves no process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { ManagedChild } from '@opsloop/devstack';
import { maskDatabaseUrl, removeStackDatabaseUrl, writeStackDatabaseUrl } from '../stack-database';
import { resolveAdminKey } from '../start/admin-key';
import { ApiAddress, apiAddress } from '../start/api-address';
import { resolveSecretKey } from '../start/secret-key';
import { spawnApp, waitForReady } from '../start/app-processes';
import { waitForWorkerPoller } from '../start/worker-ready';
import { Dependencies, startDependencies } from '../start/dependencies';
import { setUpDemoAtStart } from '../start/demo/demo-start';

const log = (line: string) => process.stdout.write(`[opsloop] ${line}\n`);

export async function startCommand(): Promise<number> {
  const started = Date.now();
  const env = validateEnv(DevStackEnv);
  const home = path.resolve(env.OPSLOOP_HOME);
  fs.mkdirSync(home, { recursive: true });

  let deps: Dependencies | undefined;
  const apps: ManagedChild[] = [];
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      log('stopping: api and worker, then Temporal, then Postgres');
      await Promise.all(apps.map((a) => a.stop('SIGTERM', 15_000)));
      await deps?.stop();
      removeStackDatabaseUrl(home);
      log('stopped');
    })());
  let stopSignalled = false;
  let signalled: () => void = () => undefined;
  const stopRequested = new Promise<void>((r) => (signalled = r));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      // A second Ctrl-C while stopping changes nothing: the clean stop is already under way.
      stopSignalled = true;
      signalled();
    });
  }

  try {
    deps = await startDependencies(env, home, log);
    // Only the embedded database's URL is kept on disk: a DATABASE_URL of the user's stays theirs.
    if (env.DATABASE_URL) removeStackDatabaseUrl(home);
    const urlFile = env.DATABASE_URL ? null : writeStackDatabaseUrl(home, deps.appDatabaseUrl);
    if (stopSignalled) return (await shutdown(), 0);
    const admin = resolveAdminKey(env.OPSLOOP_ADMIN_KEY, home);
    const secret = resolveSecretKey(env.OPSLOOP_SECRET_KEY, home);
    // csv sources read files from here; a fresh `npm start` gets an empty folder to drop exports into.
    const csvRoot = process.env.OPSLOOP_CSV_ROOT || path.join(home, 'csv');
    fs.mkdirSync(csvRoot, { recursive: true });
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: deps.appDatabaseUrl,
      ...(deps.migrationUrl ? { DATABASE_MIGRATION_URL: deps.migrationUrl } : {}),
      TEMPORAL_ADDRESS: deps.temporalAddress,
      OPSLOOP_ADMIN_KEY: admin.key,
      OPSLOOP_SECRET_KEY: secret.key,
      OPSLOOP_CSV_ROOT: csvRoot,
      OPSLOOP_ANCHOR_DIR: process.env.OPSLOOP_ANCHOR_DIR || path.join(home, 'anchors'),
      PORT: String(env.PORT),
      API_HOST: env.API_HOST,
      ...(deps.temporalUiUrl ? { TEMPORAL_UI_URL: deps.temporalUiUrl } : {}),
    };
    apps.push(spawnApp('worker', childEnv), spawnApp('api', childEnv));
    const anyExit = Promise.race(apps.map((a) => a.exited.then((code) => ({ app: a.name, code }))));
    const interrupted = Promise.race([anyExit, stopRequested]);
    const api = apiAddress(env.API_HOST, env.PORT);
    await waitForReady(`${api.probe}/health/ready`, 120_000, interrupted);
    await waitForWorkerPoller(deps.temporalAddress, env.TEMPORAL_NAMESPACE, env.TEMPORAL_TASK_QUEUE, 120_000, interrupted);
    if (stopSignalled) return (await shutdown(), 0);
    const demoLines = await setUpDemoAtStart({ api, adminKey: admin.key, log, interrupted });
    if (stopSignalled) return (await shutdown(), 0);
    printBanner(api, deps, urlFile, admin, Date.now() - started, demoLines);

    const reason = await Promise.race([stopRequested.then(() => null), anyExit]);
    if (reason) {
      log(`${reason.app} exited with code ${reason.code}; stopping everything`);
      await shutdown();
      return 1;
    }
    await shutdown();
    return 0;
  } catch (err) {
    if (stopSignalled) return (await shutdown(), 0);
    log(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    return 1;
  }
}

function printBanner(
  api: ApiAddress, deps: Dependencies, urlFile: string | null, admin: { key: string; source: string }, ms: number, demoLines: string[],
): void {
  const lines = [
    '',
    `opsloop is ready (${(ms / 1000).toFixed(1)} s)`,
    `  API          ${api.shown}/api/v1${api.everyInterface ? '   (every interface: API_HOST)' : ''}`,
    `  Dashboard    ${api.shown}/`,
    `  API docs     ${api.shown}/api/docs`,
    `  Readiness    ${api.shown}/health/ready`,
    `  Temporal UI  ${deps.temporalUiUrl ?? 'n/a (external Temporal)'}`,
    `  Postgres     ${deps.describe.postgres}`,
    ...(urlFile ? [`  Database URL ${maskDatabaseUrl(deps.appDatabaseUrl)}   (in ${urlFile}, read by opsloop audit verify)`] : []),
    `  Temporal     ${deps.describe.temporal}`,
    `  Admin key    ${admin.key}   (from ${admin.source})`,
    `  Try:         curl -H "Authorization: Bearer ${admin.key}" ${api.shown}/api/v1/me`,
    ...demoLines,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
