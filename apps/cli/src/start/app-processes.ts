/** Runs the API and the worker as child processes, as they run in production. */
import path from 'node:path';
import { ManagedChild, spawnManaged } from '@opsloop/devstack';
import { formatChildLine } from './log-lines';

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

export async function waitForReady(url: string, timeoutMs: number, abort: Promise<unknown>): Promise<void> {
  let aborted = false;
  void abort.then(() => (aborted = true));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(aborted ? 'a process exited during start-up' : `${url} not ready after ${timeoutMs} ms: ${last}`);
}
