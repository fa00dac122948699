/**
 * Child processes the dev stack owns: output prefixed with the child's name, and a stop that
 * escalates from a polite signal to SIGKILL so nothing is left behind.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import readline from 'node:readline';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

/** "code 1", "signal SIGKILL", or why it never ran: for console lines about a process's end. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return exit.error;
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${exit.code}`;
}

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  /** Like `exited`, keeping the signal apart from the code. */
  ended: Promise<ChildExit>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { quiet?: boolean; onLine?: (line: string) => void } = {},
): ManagedChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const print = options.onLine ?? ((line: string) => process.stdout.write(`[${name}] ${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const lines = readline.createInterface({ input: stream });
    lines.on('line', (line) => {
      if (!options.quiet) print(line);
    });
  }
  const ended = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ code: null, signal: null, error: `could not start: ${err.message}` }));
  });
  const exited = ended.then((e) => (e.error ? -1 : e.code ?? (e.signal ? 128 : null)));
  return {
    name,
    process: child,
    exited,
    ended,
    stop: (signal = 'SIGTERM', graceMs = 10_000) => stopChild(child, exited, signal, graceMs),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** True when a process with this pid exists (signal 0 only probes). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal`, waits up to `graceMs` for the process to go, then SIGKILLs it. */
export async function terminatePid(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
