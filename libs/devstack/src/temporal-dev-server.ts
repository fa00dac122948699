/**
 * A local Temporal dev server, used only when TEMPORAL_ADDRESS is unset. Runs the `temporal` CLI
 * found by locateTemporalCli; without one it lets the Temporal SDK download and run it.
 */
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '@opsloop/temporal';
import { ChildExit, isAlive, spawnManaged, terminatePid } from './child-process';
import { isPortOpen } from './ports';
import { TemporalCli } from './temporal-binary';

export interface TemporalDevServerOptions {
  cli: TemporalCli | null;
  port: number;
  uiPort: number;
  namespace: string;
  /** Keeps workflow state across restarts; in-memory when omitted. */
  dbFile?: string;
  headless?: boolean;
  /** Remembers the server's pid so a run killed hard can be cleaned up by the next one. */
  pidFile?: string;
  log?: (line: string) => void;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  /** Settles when the server process ends; absent when the SDK runs the server (not ours to watch). */
  exited?: Promise<ChildExit>;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<RunningTemporal> {
  if (opts.pidFile) await stopStale(opts.pidFile, opts.log);
  if (await isPortOpen(opts.port)) {
    throw new Error(`OPSLOOP_TEMPORAL_PORT: port ${opts.port} is already in use; pick another or set TEMPORAL_ADDRESS`);
  }
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = opts.headless ? null : `http://localhost:${opts.uiPort}`;
  if (!opts.cli) return startWithSdkDownload(opts, address, uiUrl);

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace,
    '--log-level', 'error', ...searchAttributeFlags()];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);

  const child = spawnManaged('temporal', opts.cli.path, args, { onLine: (l) => opts.log?.(l) });
  if (opts.pidFile && child.process.pid) fs.writeFileSync(opts.pidFile, String(child.process.pid));
  const stop = async () => {
    await child.stop('SIGTERM', 10_000);
    if (opts.pidFile) fs.rmSync(opts.pidFile, { force: true });
  };
  try {
    await Promise.race([
      waitUntilServing(address, opts.namespace, 60_000),
      child.exited.then((code) => Promise.reject(new Error(`temporal dev server exited early with code ${code}`))),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl, exited: child.ended, stop };
}

async function startWithSdkDownload(opts: TemporalDevServerOptions, address: string, uiUrl: string | null): Promise<RunningTemporal> {
  opts.log?.('no temporal CLI found: letting the Temporal SDK download one');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: '127.0.0.1',
      port: opts.port,
      ui: !opts.headless,
      uiPort: opts.headless ? undefined : opts.uiPort,
      dbFilename: opts.dbFile,
      namespace: opts.namespace,
      extraArgs: searchAttributeFlags(),
    },
  });
  return { address, uiUrl, stop: () => env.teardown() };
}

/** The port opens before the namespace exists; wait until the namespace answers. */
async function waitUntilServing(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} not serving namespace ${namespace} after ${timeoutMs} ms: ${String(lastError)}`);
}

async function stopStale(pidFile: string, log?: (line: string) => void): Promise<void> {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isTemporalProcess(pid)) return;
  log?.(`stopping a Temporal dev server left running by an earlier run (pid ${pid})`);
  await terminatePid(pid, 'SIGTERM', 10_000);
}

function isTemporalProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev');
  } catch {
    return false;
  }
}
