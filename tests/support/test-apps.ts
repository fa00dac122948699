/** Builds the real API and worker apps against the test stack, each spec on its own task queue. */
import { randomUUID } from 'node:crypto';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { ApiEnv, validateEnv, WorkerEnv } from '@opsloop/config';
import { createApi } from '../../apps/api/src/create-api';
import { createWorker } from '../../apps/worker/src/create-worker';
import { TEST_ADMIN_KEY } from './constants';

export function uniqueTaskQueue(): string {
  return `opsloop-test-${randomUUID()}`;
}

export interface TestApi {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  adminKey: string;
  close(): Promise<void>;
}

export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const env = validateEnv(ApiEnv, { ...process.env, OPSLOOP_ADMIN_KEY: TEST_ADMIN_KEY, ...overrides });
  const app = await createApi(env);
  return {
    app,
    http: () => request(app.getHttpServer()),
    adminKey: TEST_ADMIN_KEY,
    close: () => app.close(),
  };
}

export async function startTestWorker(overrides: Record<string, string> = {}): Promise<INestApplicationContext> {
  const env = validateEnv(WorkerEnv, { ...process.env, ...overrides });
  return createWorker(env);
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
