/**
 * The stack the fuzzer runs against, as `npm start` brings it up but throwaway: an embedded
 * Postgres in a scratch directory and an in-memory Temporal dev server on free ports (or the
 * servers DATABASE_URL / TEMPORAL_ADDRESS name), then the real worker and API in processes of
 * their own. Outbound calls are allowed to no host, so nothing the fuzzer sends leaves the machine.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { freePort } from '@opsloop/devstack';
import { startDependencies } from '../../apps/cli/src/start/dependencies';
import { AppProcess, startApi, startWorker } from '../support/app-processes';

const TASK_QUEUE = 'opsloop-fuzz';

export interface FuzzStack {
  baseUrl: string;
  adminKey: string;
  describe: { postgres: string; temporal: string };
  stop(): Promise<void>;
}

export async function startFuzzStack(log: (line: string) => void): Promise<FuzzStack> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-fuzz-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const stops: (() => Promise<void>)[] = [async () => fs.rmSync(scratch, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log(`stop failed: ${String(err)}`));
    stops.length = 0;
  };
  try {
    const env = validateEnv(DevStackEnv, { ...process.env, OPSLOOP_PG_PORT: String(await freePort()), OPSLOOP_TEMPORAL_PORT: String(await freePort()) });
    const deps = await startDependencies(env, scratch, log, { ephemeral: true });
    stops.push(deps.stop);
    const adminKey = `olk_fuzz-${randomBytes(16).toString('hex')}`;
    const appEnv = {
      DATABASE_URL: deps.databaseUrl, TEMPORAL_ADDRESS: deps.temporalAddress, TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'), OUTBOUND_ALLOWED_HOSTS: '', OPSLOOP_CSV_ROOT: emptyDir(path.join(scratch, 'csv')),
    };
    const worker: AppProcess = await startWorker(appEnv, { address: deps.temporalAddress, namespace: env.TEMPORAL_NAMESPACE, taskQueue: TASK_QUEUE }, log);
    stops.push(worker.stop);
    const api = await startApi({ ...appEnv, OPSLOOP_ADMIN_KEY: adminKey }, await freePort(), log);
    stops.push(api.stop);
    return { baseUrl: api.baseUrl, adminKey, describe: deps.describe, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function emptyDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
