/**
 * One in-process Temporal worker for both sides of the comparison: the engine's real activities,
 * taken from the worker's own Nest context, plus the bare echo activity, on one task queue with
 * one set of settings, and a client to start runs with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { validateEnv, WorkerEnv } from '@opsloop/config';
import { bundlerOptions } from '@opsloop/temporal';
import { ACTIVITIES } from '../../apps/worker/src/activities/activities.provider';
import { createWorker } from '../../apps/worker/src/create-worker';
import type { BareActivities } from './bare.workflow';
import type { BenchInfra } from './infra';
import { ActivityTimings } from './stats';

/** High enough that 100 concurrent runs never wait for a worker slot. */
export const WORKER_SETTINGS = { maxConcurrentActivityTaskExecutions: 200, maxConcurrentWorkflowTaskExecutions: 200 } as const;

export interface BenchWorker {
  client: Client;
  taskQueue: string;
  /** The worker's Nest context: its repositories create the bench loop. */
  app: INestApplicationContext;
  timings: ActivityTimings;
  stop(): Promise<void>;
}

export async function startBenchWorker(infra: BenchInfra): Promise<BenchWorker> {
  const codePath = await bundle(infra.scratch);
  // The real worker context (migrates on start). Its own Temporal worker polls a queue nobody uses.
  const app = await createWorker(validateEnv(WorkerEnv, {
    ...process.env, DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEMPORAL_NAMESPACE: infra.namespace,
    TEMPORAL_TASK_QUEUE: `bench-idle-${randomUUID()}`, OPSLOOP_WORKFLOW_BUNDLE: codePath, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The worker refuses to start without a sealing key; the bench stores no credentials.
    OPSLOOP_SECRET_KEY: process.env.OPSLOOP_SECRET_KEY ?? randomBytes(32).toString('base64'),
  }));
  const timings = new ActivityTimings();
  const echo: BareActivities = { benchEcho: (value) => Promise.resolve(value) };
  const activities = timings.wrap({ ...(app.get(ACTIVITIES) as Record<string, () => Promise<unknown>>), ...echo });
  const taskQueue = `bench-engine-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address: infra.temporalAddress });
  const worker = await Worker.create({
    connection: workerConnection, namespace: infra.namespace, taskQueue, activities, workflowBundle: { codePath },
    ...WORKER_SETTINGS, shutdownGraceTime: '10 seconds',
  });
  const running = worker.run();
  running.catch((err: unknown) => {
    // Runs would wait forever on a dead worker: stop the bench (run.ts cleans up on SIGTERM).
    console.error(`bench worker stopped: ${String(err)}`);
    process.kill(process.pid, 'SIGTERM');
  });
  const clientConnection = await Connection.connect({ address: infra.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: infra.namespace });
  return {
    client, taskQueue, app, timings,
    stop: async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await workerConnection.close();
      await clientConnection.close();
      await app.close();
    },
  };
}

/** The engine workflows and the bare one in one bundle, with the `@opsloop/*` aliases resolved. */
async function bundle(scratch: string): Promise<string> {
  const { webpackConfigHook } = bundlerOptions();
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'workflows.ts'), webpackConfigHook, logger: quiet });
  const codePath = path.join(scratch, 'bench-workflows.js');
  fs.writeFileSync(codePath, code);
  return codePath;
}

const ignore = () => undefined;
const quiet = { log: ignore, trace: ignore, debug: ignore, info: ignore, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
