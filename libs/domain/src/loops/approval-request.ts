/**
 * Rules for a person approving or rejecting a decision. The API checks a request with
 * `approvalProblem` before it stores the approval; the run workflow accepts only a proof (the id
 * of an approval the API stored) and checks the stored record with `checkStoredApprovals`, so a
 * verdict or a role sent straight to Temporal counts for nothing.
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

/** One person's answer as the API receives it (and, before proofs, as the workflow received it). */
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
  /** Escalation raises the bar to admin; a loop may ask for admin from the start. */
  requiredRole: Role;
  decidedBy?: string;
  decidedAt?: string;
}

export const APPROVAL_REASON_MAX = 1000;

/** Null when the request may be applied; otherwise the message the caller sees. */
export function approvalProblem(slot: ApprovalSlot | undefined, req: ApprovalRequest): string | null {
  const problem = slotProblem(slot, req.decisionId, req.actor.role);
  if (problem) return problem;
  if (typeof req.reason !== 'string' || req.reason.trim() === '') return 'reason must be a non-empty string';
  if (req.reason.length > APPROVAL_REASON_MAX) return `reason must be at most ${APPROVAL_REASON_MAX} characters`;
  return null;
}

/** Why a key with `role` may not answer this slot now; null when it may. Without a role, only whether the slot is open. */
export function slotProblem(slot: ApprovalSlot | undefined, decisionId: string, role?: Role): string | null {
  if (!slot) return `Decision ${decisionId} is not waiting for approval in this run`;
  if (slot.status === 'timed-out') {
    return `Decision ${decisionId} can no longer be approved or rejected: its approval window closed at ${slot.decidedAt ?? 'the timeout'} and the timeout outcome was applied`;
  }
  if (!isApprovalOpen(slot.status)) {
    return `Decision ${decisionId} was already ${slot.status} by ${slot.decidedBy ?? 'someone'} at ${slot.decidedAt ?? 'an earlier time'}`;
  }
  if (role !== undefined && !roleAllows(role, slot.requiredRole)) {
    return `Deciding ${decisionId} needs the ${slot.requiredRole} role${slot.status === 'escalated' ? ' (it was escalated)' : ''}; this key has ${role}`;
  }
  return null;
}

/**
 * All the run's update carries: the id of one approval the API stored (with the decision it
 * answers, so the validator can refuse a stale answer before anything runs), or the id of a bulk
 * request's batch. Verdict, reason and role are read from the stored record, never from here.
 */
export type ApprovalProof = { approvalId: string; decisionId: string } | { batchId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Null when `value` is exactly a proof; otherwise why the update is refused. */
export function proofShapeProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the update must carry an approval id or a batch id';
  const keys = Object.keys(value).sort().join(',');
  const v = value as Record<string, unknown>;
  const ids = keys === 'approvalId,decisionId' ? [v['approvalId'], v['decisionId']] : keys === 'batchId' ? [v['batchId']] : null;
  if (!ids) {
    return 'the update carries only the id of an approval stored through the API ({approvalId, decisionId} or {batchId}); verdicts and roles are read from that record';
  }
  return ids.every((id) => typeof id === 'string' && UUID.test(id)) ? null : 'approval, decision and batch ids must be UUIDs';
}

export function proofRef(proof: ApprovalProof): string {
  return 'batchId' in proof ? proof.batchId : proof.approvalId;
}

/** An approval, or every approval of one bulk request, as the API stored it. */
export interface StoredApprovals {
  runId: string;
  verdict: ApprovalVerdict;
  /** The key that gave it, with the role the key had then. */
  actor: ApprovalActor;
  decisionIds: string[];
}

export interface StoredApprovalCheck {
  /** Decisions the run may now mark approved or rejected. */
  accepted: string[];
  refused: { decisionId: string; why: string }[];
}

/** The workflow's view of a slot while it checks: `busy` when another answer is being recorded. */
export type SlotView = ApprovalSlot & { busy: boolean };

/**
 * Which decisions a stored approval may settle in this run. A string means the whole proof is
 * refused: nothing stored under that id, another run's approval, or another decision's.
 */
export function checkStoredApprovals(
  proof: ApprovalProof,
  stored: StoredApprovals | null,
  runId: string,
  slotOf: (decisionId: string) => SlotView | undefined,
): StoredApprovalCheck | string {
  const ref = 'batchId' in proof ? `batch ${proof.batchId}` : `approval ${proof.approvalId}`;
  if (!stored || stored.decisionIds.length === 0) return `No ${ref} was given through the API`;
  if (stored.runId !== runId) return `The ${ref} belongs to another run`;
  if ('decisionId' in proof && (stored.decisionIds.length !== 1 || stored.decisionIds[0] !== proof.decisionId)) {
    return `The ${ref} answers another decision, not ${proof.decisionId}`;
  }
  const check: StoredApprovalCheck = { accepted: [], refused: [] };
  for (const decisionId of stored.decisionIds) {
    const slot = slotOf(decisionId);
    const why = slot?.busy ? `Decision ${decisionId} is being decided by someone else right now` : slotProblem(slot, decisionId, stored.actor.role);
    if (why) check.refused.push({ decisionId, why });
    else check.accepted.push(decisionId);
  }
  return check;
}

/** How the ledger and the run name who decided. */
export function approverLabel(actor: ApprovalActor): string {
  return `${actor.name} (key ${actor.keyId}, ${actor.role})`;
}

/** A decision row as the API reads it to answer approvals. */
export interface DecisionApprovalRow {
  id: string;
  approvalStatus: ApprovalStatus;
  approvalBy: string | null;
  approvalAt: string | null;
}

/**
 * The slot a decision row stands for; none when it never needed a person. `baseRole` is the
 * approver role of the rule the run started with (a loop edited since does not change it).
 */
export function slotOfRow(row: DecisionApprovalRow, baseRole: Role): ApprovalSlot | undefined {
  if (row.approvalStatus === 'not-required') return undefined;
  return {
    decisionId: row.id,
    status: row.approvalStatus,
    requiredRole: row.approvalStatus === 'escalated' ? 'admin' : baseRole,
    decidedBy: row.approvalBy ?? (row.approvalStatus === 'timed-out' ? 'timeout' : undefined),
    decidedAt: row.approvalAt ?? undefined,
  };
}

export interface BulkSkip {
  decisionId: string;
  /** Null for an id that is no decision of the run. */
  subject: string | null;
  reason: string;
}

/**
 * Splits the decisions a bulk request matched into those this key may decide now and those it
 * skips, with why. `namedIds` are the ids the filter listed: each one is accounted for, even when
 * it is not in the run or never needed a person.
 */
export function selectForBulk<T extends DecisionApprovalRow & { subject: string }>(
  rows: T[], namedIds: string[] | undefined, role: Role, baseRole: Role,
): { decide: T[]; skips: BulkSkip[] } {
  const decide: T[] = [];
  const skips: BulkSkip[] = [];
  for (const row of rows) {
    const slot = slotOfRow(row, baseRole);
    const why = slot ? slotProblem(slot, row.id, role) : `Decision ${row.id} did not need approval`;
    if (why) skips.push({ decisionId: row.id, subject: row.subject, reason: why });
    else decide.push(row);
  }
  const found = new Set(rows.map((r) => r.id.toLowerCase()));
  for (const id of new Set((namedIds ?? []).map((i) => i.toLowerCase()))) {
    if (!found.has(id)) skips.push({ decisionId: id, subject: null, reason: `Decision ${id} is not a decision of this run (or does not match the rest of the filter)` });
  }
  return { decide, skips };
}
