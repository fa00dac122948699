/** Runs an app entry point as its own process, the way users and the dev stack do. */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface Finished {
  code: number | null;
  output: string;
}

export function runEntry(entry: string, env: NodeJS.ProcessEnv, args: string[] = [], detached = false): { child: ChildProcess; output: () => string; done: Promise<Finished> } {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'tools/register.js'), path.join(ROOT, entry), ...args], {
    env, cwd: ROOT, detached, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const done = new Promise<Finished>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return { child, output: () => output, done };
}

export async function waitForOutput(get: () => string, pattern: RegExp, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited?.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(get())) {
    if (gone) throw new Error(`process exited before printing ${pattern}:\n${get()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${get()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Environment without the test stack's settings, for processes that must provision their own. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'OPSLOOP_ADMIN_KEY', 'OPSLOOP_WORKFLOW_BUNDLE', 'PORT']) delete env[name];
  return { ...env, ...extra };
}
