/** An API and a worker on their own task queue, plus helpers to drive loops through the HTTP API. */
import { INestApplicationContext } from '@nestjs/common';
import { eventually } from './eventually';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from './test-apps';

export interface EngineFixture {
  api: TestApi;
  worker: INestApplicationContext | null;
  taskQueue: string;
  admin: Record<string, string>;
  close(): Promise<void>;
}

/** Loopback is allowed here because the action targets in tests are local servers. */
export const TEST_OUTBOUND = { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost' };

export async function startEngine(opts: { worker?: boolean } = {}): Promise<EngineFixture> {
  const taskQueue = uniqueTaskQueue();
  const env = { TEMPORAL_TASK_QUEUE: taskQueue, ...TEST_OUTBOUND };
  const worker = opts.worker === false ? null : await startTestWorker(env);
  const api = await startTestApi(env);
  return {
    api, worker, taskQueue, admin: bearer(api.adminKey),
    close: async () => {
      await api.close();
      await worker?.close();
    },
  };
}

export async function createLoop(f: EngineFixture, body: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>> {
  const res = await f.api.http().post('/api/v1/loops').set(f.admin).send({ name: 'test loop', ...body });
  if (res.status !== 201) throw new Error(`create loop: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export async function sendEvent(f: EngineFixture, loopId: string, eventId: string, payload: Record<string, unknown>): Promise<string> {
  const res = await f.api.http().post(`/api/v1/loops/${loopId}/events`).set(f.admin).send({ eventId, payload });
  if (res.status !== 202) throw new Error(`event: ${res.status} ${JSON.stringify(res.body)}`);
  return runIdOf(f, loopId, res.body as { workflowId: string; runId: string | null });
}

export async function runNow(f: EngineFixture, loopId: string, payload?: Record<string, unknown>): Promise<string> {
  const res = await f.api.http().post(`/api/v1/loops/${loopId}/runs`).set(f.admin).send(payload ? { payload } : {});
  if (res.status !== 202) throw new Error(`run now: ${res.status} ${JSON.stringify(res.body)}`);
  return runIdOf(f, loopId, res.body as { workflowId: string; runId: string | null });
}

/** The API answers with the run id when the worker opened the run quickly; otherwise look it up. */
function runIdOf(f: EngineFixture, loopId: string, started: { workflowId: string; runId: string | null }): Promise<string> {
  if (started.runId) return Promise.resolve(started.runId);
  return eventually(async () => {
    const res = await f.api.http().get(`/api/v1/runs?loopId=${loopId}`).set(f.admin);
    return (res.body as { id: string; workflowId: string }[]).find((r) => r.workflowId === started.workflowId)?.id;
  }, `the run of ${started.workflowId}`);
}

/** The parts of GET /api/v1/runs/:id the tests read. */
export interface DecisionView {
  id: string;
  subject: string;
  decision: string;
  magnitude: number;
  explanation: string;
  actionStatus: string;
  actionResult: { reason?: string } & Record<string, unknown>;
  intentKey: string | null;
  idempotencyKey: string | null;
  duplicateOf: string | null;
  approval: { status: string; by: string | null; reason: string | null };
  outcome: Record<string, unknown> | null;
  score: number | null;
}

export interface RunDetail {
  id: string;
  status: string;
  statusNote: string;
  actedAt: string | null;
  outcomeDueAt: string | null;
  trigger: string;
  steps: { stage: string; status: string; error: string | null; detail: Record<string, unknown> | null; at: string }[];
  decisions: DecisionView[];
  error: string | null;
}

export async function getRun(f: EngineFixture, runId: string): Promise<RunDetail> {
  const res = await f.api.http().get(`/api/v1/runs/${runId}`).set(f.admin);
  if (res.status !== 200) throw new Error(`get run: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RunDetail;
}

export function runReaches(f: EngineFixture, runId: string, statuses: string[], timeoutMs = 60_000): Promise<RunDetail> {
  return eventually(async () => {
    const run = await getRun(f, runId);
    return statuses.includes(run.status) ? run : undefined;
  }, `run ${runId} to reach ${statuses.join('/')}`, timeoutMs);
}
