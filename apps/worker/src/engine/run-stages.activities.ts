/**
 * Activities that open a run and walk the kind's stages. Each stage appends `started` and then
 * `completed` or `failed` step rows (StageAttempts: heartbeats, abandoned earlier attempts,
 * Postgres outages told apart), keeps its output as a run artifact (a retry reuses it) and
 * returns only a small summary to the workflow. The kind's pure policy (quality, decide) failing
 * is a policy error: retrying cannot change it, so it fails the run at once.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import {
  actionCounts, actStepOutcome, approvalNote, composeExplanation, initialApprovalStatus, KindStage, MagnitudeWording, NAMED_FAILURES, RunRecord,
  RunStatus, tidyNumber,
} from '@opsloop/domain';
import { decisionIntentKey, DecisionDraft, LoopKindHandler, LoopKindRegistry, QualityReport } from '@opsloop/loops';
import { DecisionRepository, LedgerRepository, LoopRepository, NewDecision, RunRepository } from '@opsloop/persistence';
import type { LoopRunActivities, LoopRunInput, RunPlan, StageResult } from '../../../../workflows/loop-run/contract';
import { blockedRunEntryBody, decisionEntryBody } from './ledger-bodies';
import { runContext } from './run-context';
import { activityAttempt, StageAttempts } from './stage-attempts';

/** Attempts after which a loop that still does not exist is taken as deleted, not as not yet committed. */
const LOOP_APPEAR_ATTEMPTS = 5;

type Stages = Pick<LoopRunActivities, 'openRun' | 'runKindStage' | 'recordStep' | 'setRunStatus'>;

@Injectable()
export class RunStagesActivities implements Stages {
  constructor(
    private readonly registry: LoopKindRegistry,
    private readonly loops: LoopRepository,
    private readonly runs: RunRepository,
    private readonly decisions: DecisionRepository,
    private readonly ledger: LedgerRepository,
    private readonly attempts: StageAttempts,
  ) {}

  async openRun(input: LoopRunInput & { workflowId: string }): Promise<RunPlan> {
    const loop = await this.loops.findById(input.loopId);
    // Retryable a few times: a Schedule can fire a moment before the transaction that created its loop commits.
    if (!loop) {
      const message = `Loop ${input.loopId} does not exist or was deleted`;
      if (activityAttempt() >= LOOP_APPEAR_ATTEMPTS) throw ApplicationFailure.nonRetryable(message, 'LoopGone');
      throw new Error(message);
    }
    if (!loop.enabled) throw ApplicationFailure.nonRetryable(`Loop ${input.loopId} is disabled`, 'LoopDisabled');
    const kind = this.registry.find(loop.kind);
    if (!kind) throw ApplicationFailure.nonRetryable(`Loop ${loop.id} has kind "${loop.kind}", which this worker does not know`, 'BadConfig');
    const run = await this.runs.open({
      workflowId: input.workflowId, loopId: loop.id, kind: loop.kind, mode: loop.mode, trigger: input.trigger,
      policyVersion: loop.policyVersion, params: loop.params, paramsVersion: loop.paramsVersion,
      approval: loop.approval, actionTarget: loop.actionTarget, event: input.event ?? null,
    });
    const params = this.registry.typedParams(run.kind, run.params);
    return {
      runId: run.id, loopId: run.loopId, kind: run.kind, mode: run.mode, approval: run.approval, actionTarget: run.actionTarget,
      outcomeWindowSeconds: kind.outcomeWindowSeconds(params),
      tunable: Boolean(kind.proposeTuning) && Object.keys(kind.tuneBounds?.(params) ?? {}).length > 0,
      stageDeadlineSeconds: loop.stageDeadlineSeconds,
    };
  }

  async runKindStage(runId: string, stage: KindStage): Promise<StageResult> {
    return this.attempts.run(runId, stage, async () => {
      const run = await this.runs.findById(runId);
      if (!run) throw ApplicationFailure.nonRetryable(`Run ${runId} does not exist`, 'RunNotFound');
      const kind = this.registry.find(run.kind);
      if (!kind) throw ApplicationFailure.nonRetryable(`Run ${runId} has kind "${run.kind}", which this worker does not know`, 'BadConfig');
      return this.stage(stage, run, kind);
    });
  }

  async recordStep(runId: string, stage: string, status: 'completed' | 'failed' | 'skipped', detail?: Record<string, unknown>, error?: string): Promise<void> {
    if (stage !== 'act') {
      await this.runs.appendStep({ runId, stage, status, detail, error });
      return;
    }
    // The workflow reports the act step done; whether it went well is in the counts it sends.
    const counts = actionCounts(detail);
    const failures = counts.failed > 0 ? await this.decisions.failedActions(runId, NAMED_FAILURES) : [];
    const outcome = actStepOutcome(status, counts, failures);
    await this.runs.appendStep({ runId, stage, status: outcome.status, detail, error: outcome.error ?? error });
    await this.runs.markActed(runId);
  }

  async setRunStatus(runId: string, status: RunStatus, error?: string): Promise<void> {
    // A failing run leaves no stage hanging at `started` in its timeline.
    if (status === 'failed') await this.attempts.closeOpen(runId, `the run failed: ${error ?? 'no reason given'}`);
    await this.runs.setStatus(runId, status, error);
  }

  private async stage(stage: KindStage, run: RunRecord, kind: LoopKindHandler<object>): Promise<{ result: StageResult; detail: Record<string, unknown> }> {
    const ctx = runContext(this.registry, run);
    const saved = (name: string) => this.runs.artifact(run.id, name);
    switch (stage) {
      case 'collect': {
        const data = (await saved('collect')) ?? (await this.runs.saveArtifact(run.id, 'collect', await kind.collect(ctx)));
        return { result: {}, detail: { fields: Object.keys(data) } };
      }
      case 'quality': {
        const collected = (await saved('collect'))!;
        const report = policy('quality', () => kind.assessQuality(ctx, collected));
        await this.runs.saveArtifact(run.id, 'quality', { ...report });
        const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.message}`).join('; ');
        const blocked = report.blocking && !report.ok;
        if (blocked) {
          await this.ledger.append({
            entryKey: `blocked:${run.id}`, type: 'blocked', loopId: run.loopId, runId: run.id, body: blockedRunEntryBody(run, { ...report }, failed),
          });
        }
        return { result: blocked ? { blocked: failed } : {}, detail: { ...report } };
      }
      case 'evaluate': {
        const data = (await saved('evaluate')) ?? (await this.runs.saveArtifact(run.id, 'evaluate', await kind.evaluate(ctx, (await saved('collect'))!)));
        return { result: {}, detail: { fields: Object.keys(data) } };
      }
      case 'decide':
        return this.decide(run, kind);
    }
  }

  private async decide(run: RunRecord, kind: LoopKindHandler<object>) {
    const [collected, quality, evaluation] = await Promise.all(['collect', 'quality', 'evaluate'].map((s) => this.runs.artifact(run.id, s)));
    const ctx = runContext(this.registry, run);
    const drafts = await policyAsync('decide', () => kind.decide(ctx, collected!, evaluation!));
    const wording = kind.magnitudeWording?.(ctx.params);
    const settled = drafts.map((d, i) => settle(run, d, wording, decisionIntentKey(kind, ctx, d, i)));
    const records = await this.decisions.insertForRun(run.id, run.loopId, settled, randomUUID);
    await this.ledger.appendMany(records.map((d) => ({
      entryKey: `decision:${d.id}`, type: 'decision' as const, loopId: run.loopId, runId: run.id, decisionId: d.id,
      body: decisionEntryBody(run, d, { quality: quality as QualityReport | null, evaluation: kind.evaluationFor?.(evaluation!, d) ?? evaluation }),
    })));
    const result = { decisions: records.map((d) => ({ decisionId: d.id, hasAction: d.action !== null, needsApproval: d.approvalStatus === 'pending' })) };
    return { result, detail: { decisions: records.length, needApproval: result.decisions.filter((d) => d.needsApproval).length } };
  }
}

/**
 * A draft as it is stored: magnitude without float noise, approval status from the loop's rule
 * and mode, the explanation with the approval sentence drawn from that same rule, and the intent
 * its action carries out.
 */
function settle(run: RunRecord, d: DecisionDraft, wording: MagnitudeWording | undefined, intentKey: string | null): NewDecision {
  const basis = { mode: run.mode, rule: run.approval, hasAction: d.action !== null, magnitude: tidyNumber(d.magnitude) };
  return {
    subject: d.subject, decision: d.decision, magnitude: basis.magnitude, inputs: d.inputs, action: d.action,
    explanation: composeExplanation(d.explanation, approvalNote(basis, wording), d.details),
    approvalStatus: initialApprovalStatus(basis),
    actionStatus: d.action === null ? 'none' : 'pending',
    intentKey,
  };
}

/** The kind's pure policy on stored inputs: a throw is a policy error, the same on every retry. */
function policy<T>(stage: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw policyError(stage, err);
  }
}

async function policyAsync<T>(stage: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw policyError(stage, err);
  }
}

function policyError(stage: string, err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.nonRetryable(`${stage} policy error: ${message}`, 'PolicyError');
}
