/** Runs the API and the worker as child processes, as they run in production, under the supervisor. */
import path from 'node:path';
import { ManagedChild, spawnManaged } from '@opsloop/devstack';
import { readableChildLine } from './log-lines';
import { pollUntil } from './poll-until';
import { RecentLines } from './recent-lines';
import { Run, Service } from './supervisor';

const ROOT = path.resolve(__dirname, '../../../..');
const REGISTER = path.join(ROOT, 'tools', 'register.js');
const STOP_GRACE_MS = 15_000;

export function spawnApp(app: 'api' | 'worker', env: NodeJS.ProcessEnv, recent?: RecentLines): ManagedChild {
  const entry = path.join(ROOT, 'apps', app, 'src', 'main.ts');
  return spawnManaged(app, process.execPath, ['-r', REGISTER, entry], {
    env,
    cwd: ROOT,
    onLine: (line) => {
      const readable = readableChildLine(line);
      recent?.push(readable);
      process.stdout.write(`[${app}] ${readable}\n`);
    },
  });
}

/** The API or the worker as a supervised service: started after, and again only once, Postgres and Temporal are up. */
export function appService(app: 'api' | 'worker', env: NodeJS.ProcessEnv, ready: (run: Run, abort: Promise<unknown>) => Promise<void>): Service {
  const recent = new RecentLines();
  return {
    name: app,
    tier: 2,
    recent,
    needs: ['postgres', 'temporal'],
    launch: async () => {
      const child = spawnApp(app, env, recent);
      return { exited: child.ended, stop: () => child.stop('SIGTERM', STOP_GRACE_MS), pid: child.process.pid };
    },
    ready,
  };
}

export function waitForReady(url: string, timeoutMs: number, abort: Promise<unknown>): Promise<void> {
  const probe = async (): Promise<true | string> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return res.ok ? true : `${res.status} ${await res.text()}`;
  };
  return pollUntil(probe, { what: `${url} not ready`, timeoutMs, abort });
}
