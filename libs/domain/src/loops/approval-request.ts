/**
 * Rules for a person approving or rejecting a decision. The run workflow's update validator and
 * the API both call `approvalProblem`, so the same request gets the same answer everywhere.
 */
import { Role, roleAllows } from '../roles';
import { ApprovalStatus, isApprovalOpen } from './run-state';

export const APPROVAL_VERDICTS = ['approve', 'reject'] as const;
export type ApprovalVerdict = (typeof APPROVAL_VERDICTS)[number];

export interface ApprovalActor {
  keyId: string;
  name: string;
  role: Role;
}

export interface ApprovalRequest {
  decisionId: string;
  verdict: ApprovalVerdict;
  reason: string;
  actor: ApprovalActor;
}

/** What the workflow knows about one decision that needed a person. */
export interface ApprovalSlot {
  decisionId: string;
  status: ApprovalStatus;
  /** Escalation raises the bar from operator to admin. */
  requiredRole: Role;
  decidedBy?: string;
  decidedAt?: string;
}

export const APPROVAL_REASON_MAX = 1000;

/** Null when the request may be applied; otherwise the message the caller sees. */
export function approvalProblem(slot: ApprovalSlot | undefined, req: ApprovalRequest): string | null {
  if (!slot) return `Decision ${req.decisionId} is not waiting for approval in this run`;
  if (slot.status === 'timed-out') {
    return `Decision ${req.decisionId} can no longer be approved or rejected: its approval window closed at ${slot.decidedAt ?? 'the timeout'} and the timeout outcome was applied`;
  }
  if (!isApprovalOpen(slot.status)) {
    return `Decision ${req.decisionId} was already ${slot.status} by ${slot.decidedBy ?? 'someone'} at ${slot.decidedAt ?? 'an earlier time'}`;
  }
  if (!roleAllows(req.actor.role, slot.requiredRole)) {
    return `Deciding ${req.decisionId} needs the ${slot.requiredRole} role${slot.status === 'escalated' ? ' (it was escalated)' : ''}; this key has ${req.actor.role}`;
  }
  if (typeof req.reason !== 'string' || req.reason.trim() === '') return 'reason must be a non-empty string';
  if (req.reason.length > APPROVAL_REASON_MAX) return `reason must be at most ${APPROVAL_REASON_MAX} characters`;
  return null;
}
