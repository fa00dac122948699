/** Typed messages of the per-loop feedback workflow. */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface DueOutcome {
  runId: string;
  /** Epoch ms when the run's outcome window closes. */
  dueAtMs: number;
  tunable: boolean;
  /** The loop's stage deadline: how long measuring keeps retrying through outages (default when absent). */
  stageDeadlineSeconds?: number;
}

export interface FeedbackState {
  loopId: string;
  pending: DueOutcome[];
  /** Outcomes measured over the workflow's whole life, across continue-as-new. */
  measured: number;
  /** Continue as new after this many measurements in one execution, even if Temporal has not suggested it yet. */
  continueAfter?: number;
}

export const outcomeDueSignal = defineSignal<[DueOutcome]>('outcomeDue');
export const feedbackStateQuery = defineQuery<FeedbackState>('feedbackState');
