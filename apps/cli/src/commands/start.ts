/**
 * `npm start`: dependencies, then the worker and the API, then a summary of where everything is.
 * While it runs, a process that dies is started again (start/supervisor.ts); one that keeps
 * crashing at start stops everything, with its last lines. Ctrl-C (or SIGTERM) stops the apps
 * first, then Temporal, then Postgres, and leaves no process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { maskDatabaseUrl, removeStackDatabaseUrl, writeStackDatabaseUrl } from '../stack-database';
import { resolveAdminKey } from '../start/admin-key';
import { ApiAddress, apiAddress } from '../start/api-address';
import { resolveSecretKey } from '../start/secret-key';
import { appService, waitForReady } from '../start/app-processes';
import { waitForWorkerPoller } from '../start/worker-ready';
import { Dependencies, startDependencies } from '../start/dependencies';
import { setUpDemoAtStart } from '../start/demo/demo-start';
import { Supervisor } from '../start/supervisor';

const log = (line: string) => process.stdout.write(`[opsloop] ${line}\n`);
const READY_TIMEOUT_MS = 120_000;

export async function startCommand(): Promise<number> {
  const started = Date.now();
  const env = validateEnv(DevStackEnv);
  const home = path.resolve(env.OPSLOOP_HOME);
  fs.mkdirSync(home, { recursive: true });

  let deps: Dependencies | undefined;
  const supervisor = new Supervisor(log);
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      log('stopping: api and worker, then Temporal, then Postgres');
      await supervisor.stop();
      await deps?.stop();
      removeStackDatabaseUrl(home);
      log('stopped');
    })());
  const stop = stopSignals();
  void stop.requested.then(() => supervisor.halt());
  // What ends `npm start`: 0 for Ctrl-C, 1 when a process keeps crashing at start.
  let ended: number | null = null;
  const end = Promise.race([stop.requested.then(() => 0), supervisor.gaveUp.then(() => 1)]).then((code) => (ended = code));

  try {
    deps = await startDependencies(env, home, log);
    // Only the embedded database's URL is kept on disk: a DATABASE_URL of the user's stays theirs.
    if (env.DATABASE_URL) removeStackDatabaseUrl(home);
    const urlFile = env.DATABASE_URL ? null : writeStackDatabaseUrl(home, deps.appDatabaseUrl);
    if (stop.signalled()) return (await shutdown(), 0);
    const admin = resolveAdminKey(env.OPSLOOP_ADMIN_KEY, home);
    const api = apiAddress(env.API_HOST, env.PORT);
    superviseStack(supervisor, deps, env, api, appEnv(env, home, deps, admin.key));
    const first = await Promise.race([supervisor.readyOnce(['worker', 'api']).then(() => null), end]);
    if (first !== null) return (await shutdown(), first);
    const demoLines = await setUpDemoAtStart({ api, adminKey: admin.key, log, interrupted: end });
    if (ended !== null) return (await shutdown(), ended);
    printBanner(api, deps, urlFile, admin, Date.now() - started, demoLines);
    const code = await end;
    await shutdown();
    return code;
  } catch (err) {
    if (stop.signalled()) return (await shutdown(), 0);
    log(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    return 1;
  }
}

/** Ctrl-C, SIGTERM or SIGHUP: a second one while stopping changes nothing, the clean stop is under way. */
function stopSignals(): { requested: Promise<void>; signalled: () => boolean } {
  let signalled = false;
  let resolve: () => void = () => undefined;
  const requested = new Promise<void>((r) => (resolve = r));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      signalled = true;
      resolve();
    });
  }
  return { requested, signalled: () => signalled };
}

/** The environment both apps get: the stack's addresses and keys on top of the user's own. */
function appEnv(env: DevStackEnv, home: string, deps: Dependencies, adminKey: string): NodeJS.ProcessEnv {
  const secret = resolveSecretKey(env.OPSLOOP_SECRET_KEY, home);
  // csv sources read files from here; a fresh `npm start` gets an empty folder to drop exports into.
  const csvRoot = process.env.OPSLOOP_CSV_ROOT || path.join(home, 'csv');
  fs.mkdirSync(csvRoot, { recursive: true });
  return {
    ...process.env,
    DATABASE_URL: deps.appDatabaseUrl,
    ...(deps.migrationUrl ? { DATABASE_MIGRATION_URL: deps.migrationUrl } : {}),
    TEMPORAL_ADDRESS: deps.temporalAddress,
    OPSLOOP_ADMIN_KEY: adminKey,
    OPSLOOP_SECRET_KEY: secret.key,
    OPSLOOP_CSV_ROOT: csvRoot,
    OPSLOOP_ANCHOR_DIR: process.env.OPSLOOP_ANCHOR_DIR || path.join(home, 'anchors'),
    PORT: String(env.PORT),
    API_HOST: env.API_HOST,
    ...(deps.temporalUiUrl ? { TEMPORAL_UI_URL: deps.temporalUiUrl } : {}),
  };
}

/**
 * Postgres and Temporal (when started here) are watched as they run; the worker and the API are
 * started now. The API is ready when /health/ready answers 200; the worker, when Temporal sees
 * this very process poll the task queue.
 */
function superviseStack(supervisor: Supervisor, deps: Dependencies, env: DevStackEnv, api: ApiAddress, childEnv: NodeJS.ProcessEnv): void {
  deps.processes.forEach((p, tier) => {
    supervisor.adopt({ name: p.name, tier, recent: p.recent, needs: [], launch: () => p.restart() }, p.current);
  });
  supervisor.launch(appService('worker', childEnv, (run, abort) =>
    waitForWorkerPoller(deps.temporalAddress, env.TEMPORAL_NAMESPACE, env.TEMPORAL_TASK_QUEUE, READY_TIMEOUT_MS, abort, run.pid)));
  supervisor.launch(appService('api', childEnv, (_run, abort) => waitForReady(`${api.probe}/health/ready`, READY_TIMEOUT_MS, abort)));
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
