/**
 * The measured thing: one replenishment loop run, created and started through the API the way an
 * operator does (POST /api/v1/loops, POST /api/v1/loops/:id/runs), timed from the start request
 * until GET /api/v1/runs shows the run completed or measuring. What the run did (its steps,
 * decisions and artifacts) is read from the database afterwards, outside the timed window.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ApiClient } from './api-client';
import { skuOf } from './catalog';
import type { Dataset } from './dataset';

const POLL_EVERY_MS = 200;
const RUN_TIMEOUT_MS = 30 * 60_000;
/** The statuses a dry-run reaches at the end: measuring when it has an outcome window to wait for. */
const DONE = new Set(['completed', 'measuring']);

export interface RunFacts {
  runId: string;
  wallMs: number;
  status: string;
  /** Activity time of each kind stage (run_steps.duration_ms of its completed step). */
  stageMs: Record<string, number>;
  /** From the decide step's end to the act step: approvals (none here) and recording every decision's skipped action. */
  actPhaseMs: number;
  /** From the start request to the run row: Temporal starting the workflow and openRun. */
  openMs: number;
  decisions: Record<string, number>;
  stageRetries: number;
  /** Stored size of each stage artifact (pg_column_size, compressed). */
  artifactBytes: Record<string, number>;
}

/** A dry-run loop over a dataset's sources; `scopeItems` narrows it to the first items (the warm-up). */
export async function createLoop(api: ApiClient, dataset: Dataset, name: string, scopeItems?: number): Promise<string> {
  const scope = scopeItems === undefined ? {} : { scope: { items: Array.from({ length: scopeItems }, (_, i) => skuOf(i)) } };
  const sources = Object.fromEntries(Object.entries(dataset.sources).map(([role, sourceId]) => [role, { sourceId, pull: false }]));
  const loop = await api.call<{ id: string }>('POST', '/api/v1/loops', {
    name, kind: 'replenishment', mode: 'dry-run',
    params: { targetServiceLevel: 0.95, reviewPeriodDays: 7, serviceLevelFactor: 1, historyDays: dataset.days, maxLeadTimeDays: 28, sources, ...scope },
    trigger: { type: 'event' }, approval: { when: 'never' }, actionTarget: { type: 'record' },
  });
  return loop.id;
}

export async function timedRun(api: ApiClient, db: Client, loopId: string): Promise<RunFacts> {
  const started = performance.now();
  const startedAt = Date.now();
  const { workflowId } = await api.call<{ workflowId: string }>('POST', `/api/v1/loops/${loopId}/runs`, {});
  const run = await waitUntilDone(api, loopId, workflowId);
  const wallMs = performance.now() - started;
  return { ...(await describeRun(db, run.id, startedAt)), wallMs, status: run.status };
}

interface RunRow { id: string; workflowId: string; status: string; error: string | null }

async function waitUntilDone(api: ApiClient, loopId: string, workflowId: string): Promise<RunRow> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const runs = await api.call<RunRow[]>('GET', `/api/v1/runs?loopId=${loopId}&limit=5`);
    const run = runs.find((r) => r.workflowId === workflowId);
    if (run && DONE.has(run.status)) return run;
    if (run?.status === 'failed') throw new Error(`run ${run.id} failed: ${run.error}`);
    await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
  }
  throw new Error(`run ${workflowId} did not finish within ${RUN_TIMEOUT_MS / 60_000} min`);
}

async function describeRun(db: Client, runId: string, requestedAtMs: number): Promise<Omit<RunFacts, 'wallMs' | 'status'>> {
  const steps = (await db.query<{ stage: string; status: string; attempt: number; duration_ms: number | null; at: Date }>(
    `SELECT stage, status, attempt, duration_ms, created_at AS at FROM run_steps WHERE run_id = $1 ORDER BY id`, [runId])).rows;
  const [opened] = (await db.query<{ started_at: Date }>(`SELECT started_at FROM loop_runs WHERE id = $1`, [runId])).rows;
  const decisions = (await db.query<{ decision: string; n: number }>(
    `SELECT decision, count(*)::int AS n FROM decisions WHERE run_id = $1 GROUP BY decision ORDER BY decision`, [runId])).rows;
  const artifacts = (await db.query<{ stage: string; bytes: number }>(
    `SELECT stage, pg_column_size(data)::int AS bytes FROM run_artifacts WHERE run_id = $1`, [runId])).rows;
  const stageMs: Record<string, number> = {};
  for (const s of steps) if (s.status === 'completed' && s.duration_ms !== null) stageMs[s.stage] = s.duration_ms;
  const at = (stage: string) => steps.filter((s) => s.stage === stage && s.status !== 'started').at(-1)?.at.getTime() ?? Number.NaN;
  return {
    runId, stageMs,
    actPhaseMs: at('act') - at('decide'),
    openMs: (opened?.started_at.getTime() ?? Number.NaN) - requestedAtMs,
    decisions: Object.fromEntries(decisions.map((d) => [d.decision, d.n])),
    stageRetries: steps.filter((s) => s.status === 'started' && s.attempt > 1).length,
    artifactBytes: Object.fromEntries(artifacts.map((a) => [a.stage, a.bytes])),
  };
}
