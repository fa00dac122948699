/** Runs the API and the worker as child processes, as they run in production. */
import path from 'node:path';
import { ManagedChild, spawnManaged } from '@opsloop/devstack';
import { formatChildLine } from './log-lines';
import { pollUntil } from './poll-until';

const ROOT = path.resolve(__dirname, '../../../..');
const REGISTER = path.join(ROOT, 'tools', 'register.js');

export function spawnApp(app: 'api' | 'worker', env: NodeJS.ProcessEnv): ManagedChild {
  const entry = path.join(ROOT, 'apps', app, 'src', 'main.ts');
  return spawnManaged(app, process.execPath, ['-r', REGISTER, entry], {
    env,
    cwd: ROOT,
    onLine: (line) => {
      process.stdout.write(formatChildLine(app, line) + '\n');
    },
  });
}

export function waitForReady(url: string, timeoutMs: number, abort: Promise<unknown>): Promise<void> {
  const probe = async (): Promise<true | string> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return res.ok ? true : `${res.status} ${await res.text()}`;
  };
  return pollUntil(probe, { what: `${url} not ready`, timeoutMs, abort });
}
