/**
 * One long-lived workflow per loop that closes the feedback loop: it waits on a durable timer
 * until each run's outcome window ends, measures and scores that run's decisions, and lets the
 * kind tune the loop. Running per loop serialises tuning (two runs never move params at once).
 * It continues as new when Temporal suggests it, so its history stays bounded, and ends after a
 * quiet spell; the next run's signal-with-start brings it back.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { bookkeepingOptions, longStageOptions } from '../common/durable-options';
import { failureMessage } from '../common/failure-message';
import type { FeedbackActivities } from './contract';
import { DueOutcome, feedbackStateQuery, FeedbackState, outcomeDueSignal } from './messages';

// Measuring and tuning may take minutes and beat; the status and step rows are bookkeeping. Both retry through outages.
const measuring = (due: DueOutcome) => proxyActivities<Pick<FeedbackActivities, 'measureOutcomes' | 'tuneLoop'>>(longStageOptions(due.stageDeadlineSeconds));
const engine = proxyActivities<FeedbackActivities>(bookkeepingOptions());

const IDLE_MS = 60 * 60 * 1000;
const CONTINUE_AFTER = 500;

export async function loopFeedbackWorkflow(start: FeedbackState): Promise<FeedbackState> {
  const state: FeedbackState = { ...start, pending: [...start.pending] };
  setHandler(outcomeDueSignal, (due) => {
    if (!state.pending.some((p) => p.runId === due.runId)) state.pending.push(due);
  });
  setHandler(feedbackStateQuery, () => state);
  let measuredHere = 0;

  for (;;) {
    if (workflowInfo().continueAsNewSuggested || measuredHere >= (state.continueAfter ?? CONTINUE_AFTER)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof loopFeedbackWorkflow>(state);
    }
    const next = earliest(state.pending);
    if (!next) {
      const woken = await condition(() => state.pending.length > 0, IDLE_MS);
      if (!woken && state.pending.length === 0) return state;
      continue;
    }
    const waitMs = next.dueAtMs - Date.now();
    if (waitMs > 0) {
      // Wake early when a signal adds an item that may be due sooner.
      const known = state.pending.length;
      await condition(() => state.pending.length !== known || workflowInfo().continueAsNewSuggested, waitMs);
      continue;
    }
    await measure(next);
    state.pending = state.pending.filter((p) => p.runId !== next.runId);
    state.measured += 1;
    measuredHere += 1;
  }
}

function earliest(pending: DueOutcome[]): DueOutcome | undefined {
  return pending.reduce<DueOutcome | undefined>((best, p) => (!best || p.dueAtMs < best.dueAtMs ? p : best), undefined);
}

/** One run's outcome and tuning; a failure is recorded on that run and never wedges the loop. */
async function measure(due: DueOutcome): Promise<void> {
  try {
    await measuring(due).measureOutcomes(due.runId);
    if (due.tunable) await measuring(due).tuneLoop(due.runId);
    await engine.setRunStatus(due.runId, 'completed');
  } catch (err) {
    const message = failureMessage(err);
    await engine.recordStep(due.runId, 'outcome', 'failed', undefined, message);
    await engine.setRunStatus(due.runId, 'completed', `outcome not measured: ${message}`);
  }
}
