/** Worker-side Temporal plumbing: one Runtime per process, and a connection that waits for the server. */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

let runtimeInstalled = false;

/** Nest owns the process signals, so the SDK must not install its own handlers. */
export function installRuntimeOnce(logLevel = 'info'): void {
  if (runtimeInstalled) return;
  try {
    // The SDK's info logs (webpack output, state changes) drown the app's own; keep its warnings.
    const logger = logLevel === 'silent' ? new DefaultLogger('ERROR', () => undefined) : new DefaultLogger('WARN');
    Runtime.install({ shutdownSignals: [], logger });
  } catch (err) {
    // Already installed by someone else in this process (e.g. a test); that instance is fine.
    if (!/already/i.test(String(err))) throw err;
  }
  runtimeInstalled = true;
}

export async function connectWorker(
  address: string,
  opts: { attempts?: number; delayMs?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<NativeConnection> {
  const attempts = opts.attempts ?? 30;
  const delayMs = opts.delayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (attempt >= attempts) {
        throw new Error(`TEMPORAL_ADDRESS: cannot reach Temporal at ${address} after ${attempts} attempts: ${String(err)}`);
      }
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
