/** Hands a finished run's outcome window to its loop's feedback workflow (signal-with-start). */
import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { feedbackWorkflowId } from '@opsloop/domain';
import type { OutcomeHandoffActivities as Handoff } from '../../../../workflows/loop-feedback/contract';
import { DueOutcome, outcomeDueSignal } from '../../../../workflows/loop-feedback/messages';
import { WORKER_TEMPORAL_CLIENT } from '../temporal-client.provider';

@Injectable()
export class OutcomeHandoffActivities implements Handoff {
  constructor(@Inject(WORKER_TEMPORAL_CLIENT) private readonly temporal: Client) {}

  async scheduleOutcome(loopId: string, due: DueOutcome): Promise<void> {
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
