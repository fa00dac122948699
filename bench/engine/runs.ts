/**
 * One run of each kind, started with the Temporal client the way the API's RunStarter starts
 * them, and what a run did according to its history (so the bare side can match the engine).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowHandle } from '@temporalio/client';
import { LoopInstance, manualRunWorkflowId } from '@opsloop/domain';
import { LoopRepository } from '@opsloop/persistence';
import { loopSearchAttributes } from '@opsloop/temporal';
import type { loopRunWorkflow } from '../../workflows/loop-run/loop-run.workflow';
import type { bareWorkflow } from './bare.workflow';
import type { BenchWorker } from './bench-worker';

export type RunKind = 'engine' | 'bare';

/** Starts one run of a kind and resolves when it has finished successfully. */
export type RunOnce = () => Promise<void>;

export interface HistoryCounts {
  events: number;
  activities: number;
  workflowTasks: number;
  activityTypes: string[];
}

/** noop, one decision, record target, no approval, no outcome window: every stage, no waiting. */
export async function createBenchLoop(w: BenchWorker): Promise<LoopInstance> {
  return w.app.get(LoopRepository).insert({
    id: randomUUID(), name: 'bench/engine noop', enabled: true, kind: 'noop', policyVersion: 'noop@1',
    params: { decisions: 1 }, mode: 'live', trigger: { type: 'event' }, overlap: 'skip',
    approval: { when: 'never' }, actionTarget: { type: 'record' }, stageDeadlineSeconds: 3600,
  });
}

export function startEngineRun(w: BenchWorker, loop: LoopInstance): Promise<WorkflowHandle<typeof loopRunWorkflow>> {
  return w.client.workflow.start<typeof loopRunWorkflow>('loopRunWorkflow', {
    workflowId: manualRunWorkflowId(loop.id, randomUUID()),
    taskQueue: w.taskQueue,
    args: [{ loopId: loop.id, trigger: 'manual' }],
    typedSearchAttributes: loopSearchAttributes(loop),
  });
}

export function startBareRun(w: BenchWorker, activities: number): Promise<WorkflowHandle<typeof bareWorkflow>> {
  return w.client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
    workflowId: `bench-bare-${randomUUID()}`,
    taskQueue: w.taskQueue,
    args: [activities],
  });
}

export function runners(w: BenchWorker, loop: LoopInstance, activities: number): Record<RunKind, RunOnce> {
  return {
    engine: async () => {
      const summary = await (await startEngineRun(w, loop)).result();
      if (summary.status !== 'completed') throw new Error(`engine run ${summary.runId} ended ${summary.status}, not completed`);
    },
    bare: async () => {
      await (await startBareRun(w, activities)).result();
    },
  };
}

export async function historyCounts(handle: WorkflowHandle): Promise<HistoryCounts> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes ?? []);
  return {
    events: events.length,
    activities: scheduled.length,
    workflowTasks: events.filter((e) => e.workflowTaskScheduledEventAttributes).length,
    activityTypes: scheduled.map((a) => a.activityType?.name ?? '?'),
  };
}

/** Runs one engine run and one bare run of the same activity count, and reads both histories. */
export async function matchActivityCounts(w: BenchWorker, loop: LoopInstance): Promise<Record<RunKind, HistoryCounts>> {
  const engineHandle = await startEngineRun(w, loop);
  await engineHandle.result();
  const engine = await historyCounts(engineHandle);
  const bareHandle = await startBareRun(w, engine.activities);
  await bareHandle.result();
  const bare = await historyCounts(bareHandle);
  if (bare.activities !== engine.activities) throw new Error(`bare ran ${bare.activities} activities, engine ${engine.activities}`);
  return { engine, bare };
}
