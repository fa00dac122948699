/**
 * The action adapter. A decision's action is sent under the idempotency key of its business
 * intent (actionKeyOf), after claiming the intent's effect row: a confirmed row is never sent
 * again, a row another decision holds makes this one a recorded duplicate that sends nothing,
 * and a row left `sending` by a crash is sent again under the same key (by the activity's next
 * attempt, or by the effect sweep when no attempt comes). Delivery is at least once, under one
 * key per intent; a receiver that honours the key applies it once.
 */
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { actionKeyOf, deliverWebhook, OutboundHttp, WebhookUnavailableError } from '@opsloop/connectors';
import { actionStaleAfterSeconds, DecisionRecord, RunRecord } from '@opsloop/domain';
import { ActionEffectRepository, DecisionRepository, EffectRecord, EffectState, LedgerRepository, RunRepository } from '@opsloop/persistence';
import type { ActionReport, LoopRunActivities } from '../../../../workflows/loop-run/contract';
import { describeTarget } from './ledger-bodies';

type Actions = Pick<LoopRunActivities, 'performAction' | 'recordActionSkipped' | 'recordActionsSkipped' | 'recordActionFailed'>;

/** What one re-send by the effect sweep came to. */
export type Reconciled = 'delivered' | 'failed' | 'unavailable';

/** Re-sends of one stale row before the sweep stops and leaves it failed, for a person to look at. */
export const SWEEP_RESENDS = 5;

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
    const key = actionKeyOf(decision);
    const claim = await this.effects.claim({
      key, intentKey: decision.intentKey, decisionId, target: describeTarget(run.actionTarget), staleAfterSeconds: actionStaleAfterSeconds(run.actionTarget),
    });
    if (claim.state === 'duplicate') return this.recordDuplicate(run, decision, key, claim);
    const response = claim.state === 'confirmed' ? claim.response : await this.sendWithinBudget(run, decision, key, claim.attempts);
    if (claim.state === 'send') await this.effects.confirm(key, response);
    const tookOver = claim.state === 'send' && claim.tookOverFrom ? { tookOverFrom: claim.tookOverFrom } : {};
    return this.recordDelivered(run, decision, key, response, { attempts: claim.attempts, ...tookOver });
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
    const key = actionKeyOf(decision);
    const effect = await this.effects.find(key);
    // The sweep (or a reply that came late) may have delivered it while the retries ran out.
    if (effect?.status === 'confirmed' && effect.decisionId === decision.id) {
      return this.recordDelivered(run, decision, key, effect.response ?? {}, { attempts: effect.attempts });
    }
    return this.recordFailed(run, decision, key, reason, effect?.attempts ?? 0);
  }

  /**
   * The effect sweep's re-send of a row left `sending` by a crash, under the same key. A refusal,
   * or a target still unreachable after SWEEP_RESENDS sweeps, leaves the action failed with the
   * reason: a person sees it, and a later decision for the same intent may send it again.
   */
  async reconcile(effect: EffectRecord): Promise<Reconciled> {
    const decision = await this.decisions.findById(effect.decisionId);
    const run = decision ? await this.runs.findById(decision.runId) : null;
    if (!decision || !run) {
      await this.effects.markFailed(effect.key, effect.decisionId, 'its decision or run no longer exists');
      return 'failed';
    }
    try {
      const response = await this.send(run, decision, effect.key);
      await this.effects.confirm(effect.key, response);
      await this.recordDelivered(run, decision, effect.key, response, { attempts: effect.attempts, reconciledBy: 'effect sweep' });
      return 'delivered';
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const refused = (err instanceof ApplicationFailure && err.nonRetryable) || (err instanceof Error && err.name === 'OutboundRefusedError');
      if (!refused && effect.sweeps < SWEEP_RESENDS) return 'unavailable';
      const why = refused ? reason : `${reason}; still not delivered after ${effect.sweeps} re-sends by the effect sweep: needs a person`;
      await this.recordFailed(run, decision, effect.key, why, effect.attempts);
      return 'failed';
    }
  }

  /**
   * The webhook's maxAttempts bounds how often the target is tried, counted by the effect row:
   * an attempt that failed on opsloop's own Postgres never reached the claim, so it does not count,
   * and the activity keeps retrying through the outage for the stage deadline.
   */
  private async sendWithinBudget(run: RunRecord, d: DecisionRecord, key: string, sends: number): Promise<Record<string, unknown>> {
    try {
      return await this.send(run, d, key);
    } catch (err) {
      const target = run.actionTarget;
      if (err instanceof WebhookUnavailableError && target.type === 'webhook' && sends >= target.maxAttempts) {
        throw ApplicationFailure.nonRetryable(`${err.message} (${sends} of ${target.maxAttempts} attempts)`, 'ActionUnavailable');
      }
      throw err;
    }
  }

  private async send(run: RunRecord, d: DecisionRecord, key: string): Promise<Record<string, unknown>> {
    const target = run.actionTarget;
    if (target.type === 'record') return { recorded: true };
    const payload = {
      idempotencyKey: key, intentKey: d.intentKey, decisionId: d.id, loopId: run.loopId, runId: run.id, kind: run.kind,
      policyVersion: run.policyVersion, subject: d.subject, decision: d.decision, explanation: d.explanation, action: d.action,
    };
    const outcome = await deliverWebhook(this.http, target, key, payload);
    if (outcome.kind === 'refused') {
      throw ApplicationFailure.nonRetryable(`${describeTarget(target)} refused the action with ${outcome.status}: ${short(outcome.body)}`, 'ActionRefused');
    }
    return { status: outcome.status, body: outcome.body, ...(outcome.alreadyHad ? { alreadyHad: true } : {}) };
  }

  private async recordDelivered(
    run: RunRecord, d: DecisionRecord, key: string, response: Record<string, unknown>, extra: Record<string, unknown>,
  ): Promise<ActionReport> {
    await this.decisions.setAction(d.id, 'succeeded', response);
    await this.appendAction(run, d, { status: 'succeeded', idempotencyKey: key, intentKey: d.intentKey, response, ...extra });
    return { decisionId: d.id, status: 'succeeded', detail: `delivered to ${describeTarget(run.actionTarget)}` };
  }

  private async recordFailed(run: RunRecord, d: DecisionRecord, key: string, reason: string, attempts: number): Promise<ActionReport> {
    await this.effects.markFailed(key, d.id, reason);
    await this.decisions.setAction(d.id, 'failed', { reason });
    await this.appendAction(run, d, { status: 'failed', reason, idempotencyKey: key, intentKey: d.intentKey, attempts });
    return { decisionId: d.id, status: 'failed', detail: reason };
  }

  /** Another decision holds the intent: this one is recorded as its duplicate and sends nothing. */
  private async recordDuplicate(run: RunRecord, d: DecisionRecord, key: string, claim: Extract<EffectState, { state: 'duplicate' }>): Promise<ActionReport> {
    const reason = claim.delivered
      ? `duplicate of decision ${claim.of}: the same intent was already delivered under ${key}; nothing sent`
      : `duplicate of decision ${claim.of}, which is delivering the same intent under ${key}; nothing sent`;
    const result = { reason, duplicateOf: claim.of, intentKey: d.intentKey, idempotencyKey: key };
    await this.decisions.markDuplicate(d.id, claim.of, result);
    await this.appendAction(run, d, { status: 'duplicate', ...result });
    // The workflow counts it as skipped: its contract knows succeeded, failed and skipped only.
    return { decisionId: d.id, status: 'skipped', detail: reason };
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
