/** What goes into each kind of ledger entry. Targets are described without secrets. */
import { ActionTarget, DecisionRecord, modeActs, RunRecord } from '@opsloop/domain';

export function describeTarget(target: ActionTarget): string {
  if (target.type === 'record') return 'record';
  const url = new URL(target.url);
  // Origin and first path segment only: tokens hide in query strings and in deeper path
  // segments (Slack-style /services/T…/B…/secret), and the ledger must never hold one.
  const [first, ...rest] = url.pathname.split('/').filter((s) => s.length > 0);
  return `webhook ${url.origin}${first ? `/${first}` : ''}${rest.length > 0 ? '/…' : ''}`;
}

/** What every run-level entry states: which loop configuration was in force. */
function runBasis(run: RunRecord) {
  return { kind: run.kind, mode: run.mode, trigger: run.trigger, policyVersion: run.policyVersion, params: run.params, paramsVersion: run.paramsVersion };
}

export function decisionEntryBody(run: RunRecord, d: DecisionRecord, context: { quality: unknown; evaluation: unknown }) {
  return {
    ...runBasis(run),
    seq: d.seq,
    subject: d.subject,
    decision: d.decision,
    magnitude: d.magnitude,
    explanation: d.explanation,
    inputs: d.inputs,
    quality: context.quality,
    evaluation: context.evaluation,
    action: d.action,
    intentKey: d.intentKey,
    approvalRequired: d.approvalStatus === 'pending',
    willAct: modeActs(run.mode) && d.action !== null,
    noActionBecause: d.action === null ? 'the decision needs no action' : modeActs(run.mode) ? null : `${run.mode} mode: recorded, not acted on`,
    target: describeTarget(run.actionTarget),
  };
}

/** A run the quality gate stopped before deciding: the audit trail still shows what it saw and why. */
export function blockedRunEntryBody(run: RunRecord, quality: unknown, reason: string) {
  return {
    ...runBasis(run),
    blockedBy: 'quality gate',
    reason,
    quality,
  };
}
