/**
 * The real API and worker, each in a child process of its own (`apps/<app>/src/main.ts`, as
 * `npm start` runs them), so the worker's memory can be read from /proc and neither shares an
 * event loop with the bench. Warnings and errors they log are passed on; the rest is dropped.
 */
import path from 'node:path';
import { ManagedChild, spawnManaged } from '@opsloop/devstack';
import { pollUntil } from '../../apps/cli/src/start/poll-until';
import { waitForWorkerPoller } from '../../apps/cli/src/start/worker-ready';

const ROOT = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 180_000;

export interface AppProcess {
  pid: number;
  stop(): Promise<void>;
}

function spawnApp(app: 'api' | 'worker', env: Record<string, string>, log: (line: string) => void): ManagedChild {
  return spawnManaged(app, process.execPath, ['-r', './tools/register.js', `apps/${app}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    onLine: (line) => {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === undefined || Number(level) >= 40) log(`[${app}] ${line.slice(0, 2000)}`);
    },
  });
}

function handle(child: ManagedChild): AppProcess {
  return { pid: child.process.pid!, stop: () => child.stop('SIGTERM', 15_000) };
}

export async function startApi(env: Record<string, string>, port: number, log: (line: string) => void): Promise<AppProcess & { baseUrl: string }> {
  const child = spawnApp('api', { ...env, PORT: String(port) }, log);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(async () => ((await fetch(`${baseUrl}/health`)).ok ? true : 'not healthy'), {
      what: 'the API did not answer /health', timeoutMs: START_TIMEOUT_MS, abort: child.exited,
    });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { ...handle(child), baseUrl };
}

/** Ready when Temporal sees it polling the task queue, as `npm start` decides. */
export async function startWorker(env: Record<string, string>, temporal: { address: string; namespace: string; taskQueue: string }, log: (line: string) => void): Promise<AppProcess> {
  const child = spawnApp('worker', env, log);
  try {
    await waitForWorkerPoller(temporal.address, temporal.namespace, temporal.taskQueue, START_TIMEOUT_MS, child.exited);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return handle(child);
}
