/**
 * After the outcome window: measure and score each acted-on decision, then let the kind propose a
 * parameter change. The engine, not the kind, enforces the declared bounds, and every change is
 * a `tune` ledger entry written before the loop's params move.
 */
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DecisionRecord, RunRecord } from '@opsloop/domain';
import { LoopKindRegistry, TuneBounds, TuneProposal } from '@opsloop/loops';
import { DecisionRepository, LedgerRepository, LoopRepository, RunRepository } from '@opsloop/persistence';
import type { LoopRunActivities } from '../../../../workflows/loop-run/contract';
import { runContext } from './run-context';
import { beating } from './stage-attempts';

const TUNING_HISTORY = 1000;

@Injectable()
export class OutcomeActivities implements Pick<LoopRunActivities, 'measureOutcomes' | 'tuneLoop'> {
  constructor(
    private readonly registry: LoopKindRegistry,
    private readonly loops: LoopRepository,
    private readonly runs: RunRepository,
    private readonly decisions: DecisionRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  /** Both beat while they work: a measurement on a worker that died is retried within seconds. */
  measureOutcomes(runId: string): Promise<{ measured: number }> {
    return beating({ runId, stage: 'outcome' }, () => this.measure(runId));
  }

  tuneLoop(runId: string): Promise<{ tuned: boolean; reason?: string }> {
    return beating({ runId, stage: 'tune' }, () => this.tune(runId));
  }

  private async measure(runId: string): Promise<{ measured: number }> {
    const run = await this.run(runId);
    const kind = this.registry.get(run.kind);
    const due = (await this.decisions.forRun(runId)).filter((d) => d.action !== null && d.outcome === null && d.actionStatus !== 'failed');
    if (!kind.measureOutcome) {
      await this.runs.appendStep({ runId, stage: 'outcome', status: 'skipped', detail: { reason: `${run.kind} measures no outcomes` } });
      return { measured: 0 };
    }
    const ctx = runContext(this.registry, run);
    for (const d of due) {
      const { outcome, score } = await kind.measureOutcome(ctx, d);
      await this.decisions.setOutcome(d.id, outcome, score);
      await this.ledger.append({
        entryKey: `outcome:${d.id}`, type: 'outcome', loopId: run.loopId, runId, decisionId: d.id,
        body: { outcome, score, measuredAt: new Date().toISOString() },
      });
    }
    await this.runs.appendStep({ runId, stage: 'outcome', status: 'completed', detail: { measured: due.length } });
    return { measured: due.length };
  }

  private async tune(runId: string): Promise<{ tuned: boolean; reason?: string }> {
    const run = await this.run(runId);
    const entryKey = `tune:${runId}`;
    const [earlier] = await this.ledger.list({ runId, type: 'tune', limit: 1 });
    if (earlier) return this.finishTune(run, earlier.body as unknown as TuneBody);
    const loop = await this.loops.findById(run.loopId);
    if (!loop) return this.tuneStep(run, false, 'the loop was deleted');
    const kind = this.registry.get(loop.kind);
    const params = this.registry.typedParams(loop.kind, loop.params);
    const recent = (await this.decisions.recentScored(loop.id, TUNING_HISTORY)).map(scored);
    const proposal = kind.proposeTuning?.(params, recent) ?? null;
    if (!proposal) return this.tuneStep(run, false, 'no change proposed');
    const outside = outOfBounds(proposal, kind.tuneBounds?.(params) ?? {});
    if (outside) return this.tuneStep(run, false, `proposal refused: ${outside}`);
    const next = { ...loop.params, ...Object.fromEntries(Object.entries(proposal.changes).map(([k, c]) => [k, c.to])) };
    const check = await this.registry.checkParams(loop.kind, next, loop.policyVersion);
    if (!check.ok) return this.tuneStep(run, false, `proposal refused: ${check.errors.map((e) => e.messages.join(', ')).join('; ')}`);
    const body: TuneBody = { fromParamsVersion: loop.paramsVersion, toParamsVersion: loop.paramsVersion + 1, changes: proposal.changes, reason: proposal.reason, params: check.params };
    await this.ledger.append({ entryKey, type: 'tune', loopId: loop.id, runId, body: { ...body } });
    return this.finishTune(run, body);
  }

  /** Applies a recorded tune entry unless a previous attempt already did. */
  private async finishTune(run: RunRecord, body: TuneBody): Promise<{ tuned: boolean; reason?: string }> {
    const loop = await this.loops.findById(run.loopId);
    if (loop && loop.paramsVersion < body.toParamsVersion) {
      await this.loops.update(loop.id, { params: body.params, paramsChanged: true });
    }
    return this.tuneStep(run, true, body.reason);
  }

  private async tuneStep(run: RunRecord, tuned: boolean, reason: string) {
    await this.runs.appendStep({ runId: run.id, stage: 'tune', status: 'completed', detail: { tuned, reason } });
    return { tuned, reason };
  }

  private async run(runId: string): Promise<RunRecord> {
    const run = await this.runs.findById(runId);
    if (!run) throw ApplicationFailure.nonRetryable(`Run ${runId} does not exist`, 'RunNotFound');
    return run;
  }
}

interface TuneBody {
  fromParamsVersion: number;
  toParamsVersion: number;
  changes: TuneProposal['changes'];
  reason: string;
  params: Record<string, unknown>;
}

function scored(d: DecisionRecord) {
  return { decisionId: d.id, subject: d.subject, score: d.score!, outcome: d.outcome ?? {}, createdAt: d.createdAt };
}

function outOfBounds(p: TuneProposal, bounds: TuneBounds): string | null {
  for (const [param, change] of Object.entries(p.changes)) {
    const b = bounds[param];
    if (!b) return `${param} is not a tunable parameter`;
    if (change.to < b.min || change.to > b.max) return `${param} = ${change.to} is outside ${b.min}..${b.max}`;
  }
  return null;
}
