/**
 * Starts runs by hand ("run now") and per event. Workflow ids are business keys, so a repeat of
 * an event or request id is a duplicate while its first run lives or after it completed. A run
 * that failed, or never opened, may be started again under the same id (Temporal's
 * ALLOW_DUPLICATE_FAILED_ONLY): an accepted event is either run or recorded as failed, never lost.
 */
import { ConflictException, HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowExecutionStatusName } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { eventRunWorkflowId, LoopInstance, manualRunWorkflowId, RunRecord, RunTrigger } from '@opsloop/domain';
import { LoopKindRegistry } from '@opsloop/loops';
import { LoopRepository, newRunOf, RunRepository } from '@opsloop/persistence';
import { loopSearchAttributes } from '@opsloop/temporal';
import type { LoopRunInput } from '../../../../workflows/loop-run/contract';
import { API_ENV } from '../api-env';
import { fieldErrorsException } from '../common/validation';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';
import { temporalUiRunUrl } from './temporal-ui';

const START_DEADLINE_MS = 5_000;
const WAIT_FOR_ROW_MS = 5_000;
const POLL_MS = 150;

export interface StartedRun {
  workflowId: string;
  runId: string | null;
  duplicate: boolean;
  temporalUiUrl: string;
}

/** What the caller resends to try a run again that could not start. */
interface StartKey {
  name: 'eventId' | 'requestId';
  value: string;
}

@Injectable()
export class RunStarter {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_ENV) private readonly env: ApiEnv,
    private readonly registry: LoopKindRegistry,
    private readonly runs: RunRepository,
    private readonly loops: LoopRepository,
  ) {}

  async runNow(loop: LoopInstance, requestId: string | undefined, payload: Record<string, unknown> | undefined): Promise<StartedRun> {
    this.assertEnabled(loop);
    const event = payload ? await this.checkedPayload(loop, payload) : null;
    const key = { name: 'requestId', value: requestId ?? randomUUID() } as const;
    return this.start(loop, manualRunWorkflowId(loop.id, key.value), 'manual', event, key);
  }

  async event(loop: LoopInstance, eventId: string, payload: Record<string, unknown>): Promise<StartedRun> {
    this.assertEnabled(loop);
    if (loop.trigger.type !== 'event') {
      throw new ConflictException(`Loop ${loop.id} is triggered by ${loop.trigger.type}, not by events; use POST /api/v1/loops/${loop.id}/runs to run it now`);
    }
    const event = await this.checkedPayload(loop, payload);
    return this.start(loop, eventRunWorkflowId(loop.id, eventId), 'event', event, { name: 'eventId', value: eventId });
  }

  private assertEnabled(loop: LoopInstance): void {
    if (!loop.enabled) throw new ConflictException(`Loop ${loop.id} is disabled; enable it first`);
  }

  private async checkedPayload(loop: LoopInstance, payload: Record<string, unknown>) {
    const checked = await this.registry.checkEvent(loop.kind, payload);
    if (!checked.ok) throw fieldErrorsException(checked.errors);
    return checked.params;
  }

  private async start(loop: LoopInstance, workflowId: string, trigger: RunTrigger, event: Record<string, unknown> | null, key: StartKey): Promise<StartedRun> {
    const execution = await this.startExecution(loop, workflowId, { loopId: loop.id, trigger, event });
    const run = execution === null
      ? await this.waitForRow(workflowId)
      : await this.waitForOpen(workflowId, execution, (stored, reason) => this.recordFailedStart(loop, workflowId, trigger, event, key, stored, reason));
    return { workflowId, runId: run?.id ?? null, duplicate: execution === null, temporalUiUrl: temporalUiRunUrl(this.env, workflowId) };
  }

  /** The Temporal run id of the execution this request started, or null for a duplicate. */
  private async startExecution(loop: LoopInstance, workflowId: string, input: LoopRunInput): Promise<string | null> {
    try {
      const handle = await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.temporal.workflow.start('loopRunWorkflow', {
          workflowId,
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          typedSearchAttributes: loopSearchAttributes(loop),
          // A repeat while the first run lives, or after it completed, is a duplicate (FAIL, not
          // USE_EXISTING, so it is seen as one); after a failure the id may start a run again.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          workflowIdConflictPolicy: 'FAIL',
        }));
      return handle.firstExecutionRunId;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return null;
      throw new ServiceUnavailableException(`Cannot start the run: Temporal is unavailable (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  /** A duplicate's run: the worker writes the row in its first activity; give it a moment. */
  private async waitForRow(workflowId: string): Promise<RunRecord | null> {
    const deadline = Date.now() + WAIT_FOR_ROW_MS;
    for (;;) {
      const run = await this.runs.findByWorkflowId(workflowId);
      if (run || Date.now() > deadline) return run;
      await sleep(POLL_MS);
    }
  }

  /**
   * Until the worker opens the run (a row not left failed by an earlier execution), or the
   * execution ends without opening it: then the failure is an error for the caller, not a silent
   * 202. Past the deadline the run is still starting (no worker yet) and the answer has no run id.
   */
  private async waitForOpen(
    workflowId: string, execution: string, recordFailure: (stored: RunRecord | null, reason: string) => Promise<never>,
  ): Promise<RunRecord | null> {
    const deadline = Date.now() + WAIT_FOR_ROW_MS;
    for (;;) {
      const run = await this.runs.findByWorkflowId(workflowId);
      if (run && run.status !== 'failed') return run;
      const status = await this.executionStatus(workflowId, execution);
      if (status === 'COMPLETED') return this.runs.findByWorkflowId(workflowId);
      if (status !== 'RUNNING' && status !== null) {
        const after = await this.runs.findByWorkflowId(workflowId);
        if (after && (await this.opened(after))) return after;
        return recordFailure(after, `its workflow ended as ${status.toLowerCase()} before the run opened`);
      }
      if (Date.now() > deadline) return null;
      await sleep(POLL_MS);
    }
  }

  private async executionStatus(workflowId: string, execution: string): Promise<WorkflowExecutionStatusName | null> {
    try {
      return (await this.temporal.workflow.getHandle(workflowId, execution).describe()).status.name;
    } catch {
      // Visibility can lag a start by a moment; the next poll asks again.
      return null;
    }
  }

  /** Whether the run got past opening (a stage step exists), as opposed to a row that only records a failed start. */
  private async opened(run: RunRecord): Promise<boolean> {
    return (await this.runs.steps(run.id)).some((s) => s.stage !== 'open');
  }

  /**
   * The worker records a failed open itself; an execution that ended before any activity ran
   * (terminated, timed out) is recorded here, so every accepted event leaves a run row.
   */
  private async recordFailedStart(
    loop: LoopInstance, workflowId: string, trigger: RunTrigger, event: Record<string, unknown> | null, key: StartKey, stored: RunRecord | null, reason: string,
  ): Promise<never> {
    const run = stored?.status === 'failed' && stored.error
      ? stored
      : await this.runs.recordFailedStart(newRunOf(loop, workflowId, trigger, event), `the run could not start: ${reason}`);
    const now = await this.loops.findById(loop.id);
    throw startFailed(run, key, !now || !now.enabled ? 409 : 503);
  }
}

function startFailed(run: RunRecord, key: StartKey, status: 409 | 503): HttpException {
  return new HttpException({
    statusCode: status, error: status === 409 ? 'Conflict' : 'Service Unavailable',
    message: `Run ${run.workflowId} was accepted but ${run.error ?? 'could not start'}. It is recorded as failed run ${run.id} ` +
      `(GET /api/v1/runs/${run.id}); send the same ${key.name} again to start it anew.`,
    runId: run.id, workflowId: run.workflowId,
  }, status);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
