/**
 * One run of a loop: collect → quality → evaluate → decide (kind stages, one activity each),
 * then approve → act, then hand the outcome window to the loop's feedback workflow so the run
 * itself ends and never blocks the schedule's next fire. Only ids and small summaries pass through history.
 */
import { allHandlersFinished, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { ActionTarget, isApprovalCleared, KIND_STAGES, modeActs, NON_RETRYABLE_STAGE_ERRORS, stageDeadlineSeconds } from '@opsloop/domain';
import { bookkeepingOptions, longStageOptions } from '../common/durable-options';
import { failureMessage } from '../common/failure-message';
import { ApprovalGate } from './approval-gate';
import type { ActionReport, DecisionSummary, LoopRunActivities, LoopRunInput, RunPlan } from './contract';
import { progressQuery, RunProgress } from './messages';

// Before the run's plan is known (open, the failure path, the approval gate): the default stage deadline.
const engine = proxyActivities<LoopRunActivities>(bookkeepingOptions());

/** The run's own deadline: its stages and bookkeeping retry through outages this long (durable-options.ts). */
const books = (plan: RunPlan) => proxyActivities<LoopRunActivities>(bookkeepingOptions(plan.stageDeadlineSeconds));
const stages = (plan: RunPlan) => proxyActivities<Pick<LoopRunActivities, 'runKindStage'>>(longStageOptions(plan.stageDeadlineSeconds));

export interface RunSummary {
  runId: string;
  status: 'completed' | 'measuring' | 'blocked';
  decisions: number;
  actions: RunProgress['actions'];
}

export async function loopRunWorkflow(input: LoopRunInput): Promise<RunSummary> {
  const progress: RunProgress = { runId: null, stage: 'opening', decisions: 0, approvals: [], actions: { succeeded: 0, failed: 0, skipped: 0 } };
  const gate = new ApprovalGate((resolution) => engine.recordApproval(resolution));
  gate.install();
  setHandler(progressQuery, () => ({ ...progress, approvals: gate.progress() }));

  const plan = await openRun(input);
  progress.runId = plan.runId;
  try {
    const summary = await walk(plan, gate, progress);
    await condition(allHandlersFinished);
    return summary;
  } catch (err) {
    await engine.setRunStatus(plan.runId, 'failed', failureMessage(err));
    throw err;
  }
}

/**
 * Opens the run row. When that gives up, a failed row says why before the workflow fails, so the
 * event shows in /runs and may be resent (Temporal lets a failed workflow id start again).
 */
async function openRun(input: LoopRunInput): Promise<RunPlan> {
  const opening = { ...input, workflowId: workflowInfo().workflowId };
  try {
    return await engine.openRun(opening);
  } catch (err) {
    if (patched(RECORDS_START_FAILURES)) {
      // Best effort: the workflow's own failure below still carries the reason if this fails too.
      await startFailures.recordStartFailure(opening, failureMessage(err)).catch(() => undefined);
    }
    throw err;
  }
}

const RECORDS_START_FAILURES = 'records-start-failures';

const startFailures = proxyActivities<Pick<LoopRunActivities, 'recordStartFailure'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

async function walk(plan: RunPlan, gate: ApprovalGate, progress: RunProgress): Promise<RunSummary> {
  const engine = books(plan);
  let decisions: DecisionSummary[] = [];
  for (const stage of KIND_STAGES) {
    progress.stage = stage;
    const result = await stages(plan).runKindStage(plan.runId, stage);
    if (result.blocked) {
      await engine.setRunStatus(plan.runId, 'failed', `blocked by the quality gate: ${result.blocked}`);
      return { runId: plan.runId, status: 'blocked', decisions: 0, actions: progress.actions };
    }
    decisions = result.decisions ?? decisions;
  }
  progress.decisions = decisions.length;

  progress.stage = 'approve';
  const waiting = decisions.filter((d) => d.needsApproval).map((d) => d.decisionId);
  if (waiting.length > 0) await engine.setRunStatus(plan.runId, 'awaiting-approval');
  await gate.await(plan.runId, waiting, plan.approval);
  await engine.recordStep(plan.runId, 'approve', waiting.length > 0 ? 'completed' : 'skipped', { asked: waiting.length });

  progress.stage = 'act';
  await engine.setRunStatus(plan.runId, 'acting');
  const acting = decisions.filter((d) => d.hasAction);
  if (!modeActs(plan.mode) && acting.length > 0 && patched(SKIPS_IN_BATCHES)) {
    progress.actions.skipped += await skipAll(plan, acting);
  } else {
    const reports = await Promise.all(acting.map((d) => act(plan, gate, d)));
    for (const r of reports) progress.actions[r.status] += 1;
  }
  await engine.recordStep(plan.runId, 'act', acting.length > 0 ? 'completed' : 'skipped', { ...progress.actions });

  const measure = plan.outcomeWindowSeconds !== null && decisions.some((d) => d.hasAction);
  progress.stage = measure ? 'outcome' : 'done';
  if (measure) {
    await engine.setRunStatus(plan.runId, 'measuring');
    // The window may last weeks: the run ends now and the loop's feedback workflow takes over.
    const dueAtMs = Date.now() + plan.outcomeWindowSeconds! * 1000;
    await engine.scheduleOutcome(plan.loopId, { runId: plan.runId, dueAtMs, tunable: plan.tunable, stageDeadlineSeconds: plan.stageDeadlineSeconds });
  } else {
    await engine.setRunStatus(plan.runId, 'completed');
  }
  return { runId: plan.runId, status: measure ? 'measuring' : 'completed', decisions: decisions.length, actions: progress.actions };
}

/**
 * A mode that never acts records its skips in batches: a dry run over 10,000 items would
 * otherwise schedule 10,000 activities and fill the history with them.
 */
const SKIPS_IN_BATCHES = 'action-skips-in-batches';
const SKIP_BATCH = 1000;

async function skipAll(plan: RunPlan, acting: DecisionSummary[]): Promise<number> {
  const engine = books(plan);
  let skipped = 0;
  for (let i = 0; i < acting.length; i += SKIP_BATCH) {
    const ids = acting.slice(i, i + SKIP_BATCH).map((d) => d.decisionId);
    skipped += await engine.recordActionsSkipped(plan.runId, ids, `${plan.mode} mode: decision recorded, no action taken`);
  }
  return skipped;
}

async function act(plan: RunPlan, gate: ApprovalGate, d: DecisionSummary): Promise<ActionReport> {
  const engine = books(plan);
  if (!modeActs(plan.mode)) return engine.recordActionSkipped(d.decisionId, `${plan.mode} mode: decision recorded, no action taken`);
  const slot = gate.status(d.decisionId);
  if (slot && !isApprovalCleared(slot.status)) {
    return engine.recordActionSkipped(d.decisionId, `not approved (${slot.status}${slot.decidedBy ? ` by ${slot.decidedBy}` : ''}): no action taken`);
  }
  try {
    return await actionActivities(plan.actionTarget, plan.stageDeadlineSeconds).performAction(d.decisionId);
  } catch (err) {
    // Out of retries (or refused): record it and let the other decisions go on.
    return engine.recordActionFailed(d.decisionId, failureMessage(err));
  }
}

/**
 * The activity counts the webhook's attempts itself (ActionUnavailable once maxAttempts sends
 * failed), so attempts that failed on opsloop's Postgres retry for the stage deadline instead of
 * using up the target's budget.
 */
function actionActivities(target: ActionTarget, deadlineSeconds: number | undefined) {
  const webhook = target.type === 'webhook' ? target : null;
  return proxyActivities<Pick<LoopRunActivities, 'performAction'>>({
    startToCloseTimeout: `${(webhook?.timeoutSeconds ?? 10) + 5} seconds`,
    scheduleToCloseTimeout: `${stageDeadlineSeconds(deadlineSeconds)} seconds`,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      nonRetryableErrorTypes: ['OutboundRefusedError', 'ActionRefused', 'ActionUnavailable', ...NON_RETRYABLE_STAGE_ERRORS],
    },
  });
}
