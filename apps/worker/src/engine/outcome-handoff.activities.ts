/**
 * Hands a finished run's outcome window to its loop's feedback workflow (signal-with-start), and
 * stores when that outcome is due so the runs API can say it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { feedbackWorkflowId } from '@opsloop/domain';
import { RunRepository } from '@opsloop/persistence';
import type { OutcomeHandoffActivities as Handoff } from '../../../../workflows/loop-feedback/contract';
import { DueOutcome, outcomeDueSignal } from '../../../../workflows/loop-feedback/messages';
import { WORKER_TEMPORAL_CLIENT } from '../temporal-client.provider';

@Injectable()
export class OutcomeHandoffActivities implements Handoff {
  constructor(
    @Inject(WORKER_TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly runs: RunRepository,
  ) {}

  async scheduleOutcome(loopId: string, due: DueOutcome): Promise<void> {
    // The same instant the feedback workflow's timer waits for: the workflow computed it.
    await this.runs.setOutcomeDue(due.runId, new Date(due.dueAtMs));
    await this.temporal.workflow.signalWithStart('loopFeedbackWorkflow', {
      workflowId: feedbackWorkflowId(loopId),
      // Same queue as the run, so a deployment's runs and feedback share its workers.
      taskQueue: Context.current().info.taskQueue,
      args: [{ loopId, pending: [], measured: 0 }],
      signal: outcomeDueSignal,
      signalArgs: [due],
    });
  }
}
