/**
 * The real API in a child process of its own (`apps/api/src/main.ts`, as `npm run api` starts
 * it), so its resident memory can be read from /proc while it ingests. Its ingest log lines are
 * kept: they split each batch into reading+staging and storing.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { terminatePid } from '@opsloop/devstack';

const ROOT = path.resolve(__dirname, '../..');

export interface ApiProcess {
  pid: number;
  baseUrl: string;
  /** `msg` of every ObservationIngest log line so far. */
  ingestLines: string[];
  stop(): Promise<void>;
}

export async function startApiProcess(env: Record<string, string>, port: number, log: (line: string) => void): Promise<ApiProcess> {
  // BENCH_API_NODE_ARGS: extra node flags for the API, e.g. `--cpu-prof` to profile a run.
  const extra = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '-r', './tools/register.js', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ingestLines: string[] = [];
  watchLines(child, (line) => {
    const msg = parseMsg(line);
    if (msg?.context === 'ObservationIngest') ingestLines.push(msg.msg);
    else if (msg && msg.level >= 40) log(`[api] ${msg.msg}`);
  });
  child.stderr!.on('data', (d: Buffer) => log(`[api stderr] ${d.toString().trim()}`));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child);
  return {
    pid: child.pid!,
    baseUrl,
    ingestLines,
    stop: async () => {
      if (child.exitCode === null) await terminatePid(child.pid!, 'SIGTERM', 10_000);
    },
  };
}

function watchLines(child: ChildProcess, onLine: (line: string) => void): void {
  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(onLine);
  });
}

function parseMsg(line: string): { msg: string; context?: string; level: number } | null {
  try {
    return JSON.parse(line) as { msg: string; context?: string; level: number };
  } catch {
    return null;
  }
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} before it was healthy`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API was not healthy after ${timeoutMs} ms`);
}
