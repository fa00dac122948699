/** Activities the feedback workflow calls, and the one a run calls to hand its outcome over. */
import type { DueOutcome } from './messages';

export interface FeedbackActivities {
  measureOutcomes(runId: string): Promise<{ measured: number }>;
  tuneLoop(runId: string): Promise<{ tuned: boolean; reason?: string }>;
  setRunStatus(runId: string, status: 'completed', error?: string): Promise<void>;
  recordStep(runId: string, stage: string, status: 'completed' | 'failed' | 'skipped', detail?: Record<string, unknown>, error?: string): Promise<void>;
}

export interface OutcomeHandoffActivities {
  /** Signal-with-start of the loop's feedback workflow; repeating it for a run is harmless. */
  scheduleOutcome(loopId: string, due: DueOutcome): Promise<void>;
}
