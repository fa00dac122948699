/** Starts runs by hand ("run now") and per event. Workflow ids are business keys, so repeats are harmless. */
import { ConflictException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { eventRunWorkflowId, LoopInstance, manualRunWorkflowId, RunTrigger } from '@opsloop/domain';
import { LoopKindRegistry } from '@opsloop/loops';
import { RunRepository } from '@opsloop/persistence';
import { loopSearchAttributes } from '@opsloop/temporal';
import type { LoopRunInput } from '../../../../workflows/loop-run/contract';
import { API_ENV } from '../api-env';
import { fieldErrorsException } from '../common/validation';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';
import { temporalUiRunUrl } from './temporal-ui';

const START_DEADLINE_MS = 5_000;
const WAIT_FOR_ROW_MS = 5_000;

export interface StartedRun {
  workflowId: string;
  runId: string | null;
  duplicate: boolean;
  temporalUiUrl: string;
}

@Injectable()
export class RunStarter {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_ENV) private readonly env: ApiEnv,
    private readonly registry: LoopKindRegistry,
    private readonly runs: RunRepository,
  ) {}

  async runNow(loop: LoopInstance, requestId: string | undefined, payload: Record<string, unknown> | undefined): Promise<StartedRun> {
    this.assertEnabled(loop);
    const event = payload ? await this.checkedPayload(loop, payload) : null;
    return this.start(loop, manualRunWorkflowId(loop.id, requestId ?? randomUUID()), 'manual', event);
  }

  async event(loop: LoopInstance, eventId: string, payload: Record<string, unknown>): Promise<StartedRun> {
    this.assertEnabled(loop);
    if (loop.trigger.type !== 'event') {
      throw new ConflictException(`Loop ${loop.id} is triggered by ${loop.trigger.type}, not by events; use POST /api/v1/loops/${loop.id}/runs to run it now`);
    }
    return this.start(loop, eventRunWorkflowId(loop.id, eventId), 'event', await this.checkedPayload(loop, payload));
  }

  private assertEnabled(loop: LoopInstance): void {
    if (!loop.enabled) throw new ConflictException(`Loop ${loop.id} is disabled; enable it first`);
  }

  private async checkedPayload(loop: LoopInstance, payload: Record<string, unknown>) {
    const checked = await this.registry.checkEvent(loop.kind, payload);
    if (!checked.ok) throw fieldErrorsException(checked.errors);
    return checked.params;
  }

  private async start(loop: LoopInstance, workflowId: string, trigger: RunTrigger, event: Record<string, unknown> | null): Promise<StartedRun> {
    const input: LoopRunInput = { loopId: loop.id, trigger, event };
    let duplicate = false;
    try {
      await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.temporal.workflow.start('loopRunWorkflow', {
          workflowId,
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          typedSearchAttributes: loopSearchAttributes(loop),
          // The same event or request id never starts a second run, even after the first ended. A
          // repeat while the first still runs must fail too (not USE_EXISTING), or it is not seen as a duplicate.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        }));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        throw new ServiceUnavailableException(`Cannot start the run: Temporal is unavailable (${err instanceof Error ? err.message : String(err)})`);
      }
      duplicate = true;
    }
    const run = await this.waitForRow(workflowId);
    return { workflowId, runId: run?.id ?? null, duplicate, temporalUiUrl: temporalUiRunUrl(this.env, workflowId) };
  }

  /** The worker writes the run row in its first activity; give it a moment so callers get the id. */
  private async waitForRow(workflowId: string) {
    const deadline = Date.now() + WAIT_FOR_ROW_MS;
    for (;;) {
      const run = await this.runs.findByWorkflowId(workflowId);
      if (run || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
