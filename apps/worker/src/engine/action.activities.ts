/**
 * The action adapter. Every attempt for a decision carries the same idempotency key; before
 * sending it asks the effects table, and a key already confirmed is never sent again. A target
 * that honours the key (Idempotency-Key header) covers the gap between "sent" and "confirmed".
 */
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { deliverWebhook, OutboundHttp } from '@opsloop/connectors';
import { actionIdempotencyKey, ActionTarget, DecisionRecord, RunRecord } from '@opsloop/domain';
import { ActionEffectRepository, DecisionRepository, LedgerRepository, RunRepository } from '@opsloop/persistence';
import type { ActionReport, LoopRunActivities } from '../../../../workflows/loop-run/contract';
import { describeTarget } from './ledger-bodies';

type Actions = Pick<LoopRunActivities, 'performAction' | 'recordActionSkipped' | 'recordActionsSkipped' | 'recordActionFailed'>;

@Injectable()
export class ActionActivities implements Actions {
  constructor(
    private readonly http: OutboundHttp,
    private readonly runs: RunRepository,
    private readonly decisions: DecisionRepository,
    private readonly effects: ActionEffectRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async performAction(decisionId: string): Promise<ActionReport> {
    const { decision, run } = await this.load(decisionId);
    const key = actionIdempotencyKey(decision.id);
    const effect = await this.effects.beginAttempt(key, decision.id, describeTarget(run.actionTarget));
    const response = effect.state === 'confirmed' ? effect.response : await this.send(run.actionTarget, key, run, decision);
    if (effect.state !== 'confirmed') await this.effects.confirm(key, response);
    await this.decisions.setAction(decision.id, 'succeeded', response);
    await this.appendAction(run, decision, { status: 'succeeded', idempotencyKey: key, response, attempts: effect.attempts });
    return { decisionId, status: 'succeeded', detail: `delivered to ${describeTarget(run.actionTarget)}` };
  }

  async recordActionSkipped(decisionId: string, reason: string): Promise<ActionReport> {
    const { decision, run } = await this.load(decisionId);
    await this.decisions.setAction(decision.id, 'skipped', { reason });
    await this.appendAction(run, decision, { status: 'skipped', reason, mode: run.mode });
    return { decisionId, status: 'skipped', detail: reason };
  }

  async recordActionsSkipped(runId: string, decisionIds: string[], reason: string): Promise<number> {
    const run = await this.runs.findById(runId);
    if (!run) throw ApplicationFailure.nonRetryable(`Run ${runId} does not exist`, 'RunNotFound');
    const ids = await this.decisions.setActions(runId, decisionIds, 'skipped', { reason });
    await this.ledger.appendMany(ids.map((decisionId) => ({
      entryKey: `action:${decisionId}`, type: 'action' as const, loopId: run.loopId, runId, decisionId,
      body: { status: 'skipped', reason, mode: run.mode, target: describeTarget(run.actionTarget) },
    })));
    return ids.length;
  }

  async recordActionFailed(decisionId: string, reason: string): Promise<ActionReport> {
    const { decision, run } = await this.load(decisionId);
    const effect = await this.effects.find(actionIdempotencyKey(decision.id));
    await this.decisions.setAction(decision.id, 'failed', { reason });
    await this.appendAction(run, decision, { status: 'failed', reason, attempts: effect?.attempts ?? 0 });
    return { decisionId, status: 'failed', detail: reason };
  }

  private async send(target: ActionTarget, key: string, run: RunRecord, d: DecisionRecord): Promise<Record<string, unknown>> {
    if (target.type === 'record') return { recorded: true };
    const payload = {
      idempotencyKey: key, decisionId: d.id, loopId: run.loopId, runId: run.id, kind: run.kind,
      policyVersion: run.policyVersion, subject: d.subject, decision: d.decision, explanation: d.explanation, action: d.action,
    };
    const outcome = await deliverWebhook(this.http, target, key, payload);
    if (outcome.kind === 'refused') {
      throw ApplicationFailure.nonRetryable(`${describeTarget(target)} refused the action with ${outcome.status}: ${short(outcome.body)}`, 'ActionRefused');
    }
    return { status: outcome.status, body: outcome.body };
  }

  private async appendAction(run: RunRecord, d: DecisionRecord, body: Record<string, unknown>): Promise<void> {
    await this.ledger.append({
      entryKey: `action:${d.id}`, type: 'action', loopId: run.loopId, runId: run.id, decisionId: d.id,
      body: { ...body, target: describeTarget(run.actionTarget) },
    });
  }

  private async load(decisionId: string): Promise<{ decision: DecisionRecord; run: RunRecord }> {
    const decision = await this.decisions.findById(decisionId);
    const run = decision ? await this.runs.findById(decision.runId) : null;
    if (!decision || !run) throw ApplicationFailure.nonRetryable(`Decision ${decisionId} does not exist`, 'DecisionNotFound');
    return { decision, run };
  }
}

function short(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
