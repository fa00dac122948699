/**
 * The human step of a run. Decisions that need a person wait here. The `decideApproval` update
 * carries only the id of an approval (or batch) the API stored with its ledger entry; the gate
 * loads that record through an activity and applies it only when it belongs to this run and
 * decision, is unused, and its key's role meets the slot's. A verdict or role sent straight to
 * Temporal has no record behind it and is refused, leaving no state, row or entry behind.
 * A timer applies the rule's timeout outcome.
 */
import { ApplicationFailure, condition, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  ApprovalProof, ApprovalRequest, ApprovalRule, ApprovalSlot, ApprovalStatus, approverLabel, approverRole, checkStoredApprovals,
  isApprovalOpen, proofRef, proofShapeProblem, slotProblem, StoredApprovalCheck, StoredApprovals,
} from '@opsloop/domain';
import type { ApprovalProofActivities } from './approval-contract';
import type { ApprovalResolution } from './contract';
import { ApprovalReply, decideApprovalUpdate, RunProgress } from './messages';

type Slot = ApprovalSlot & { inFlight: boolean; deadline: string | null };
type Record = (resolution: ApprovalResolution) => Promise<void>;

/** Updates recorded before approvals were verified carried the verdict itself; they replay on the old path. */
const VERIFIED_APPROVALS = 'approvals-verified-from-store';

const proofs = proxyActivities<ApprovalProofActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export class ApprovalGate {
  private readonly slots = new Map<string, Slot>();
  /** Approval and batch ids already applied: a proof counts once. */
  private readonly used = new Set<string>();
  private runId: string | null = null;
  /** Set while the timeout outcome is written, so no answer lands between its steps. */
  private closing = false;

  constructor(private readonly record: Record) {}

  /** Must run before the workflow's first await, so no early update finds no handler. */
  install(): void {
    setHandler(decideApprovalUpdate, (msg) => this.apply(msg), { validator: (msg) => this.validate(msg) });
  }

  status(decisionId: string): Slot | undefined {
    return this.slots.get(decisionId);
  }

  progress(): RunProgress['approvals'] {
    return [...this.slots.values()].map((s) => ({ decisionId: s.decisionId, status: s.status, requiredRole: s.requiredRole, deadline: s.deadline }));
  }

  /** Opens slots for the run's decisions and waits until each is answered or the timeout outcome applies. */
  async await(runId: string, decisionIds: string[], rule: ApprovalRule): Promise<void> {
    this.runId = runId;
    if (decisionIds.length === 0 || rule.when === 'never') return;
    const timeoutMs = rule.timeoutSeconds * 1000;
    const requiredRole = approverRole(rule);
    for (const decisionId of decisionIds) {
      this.slots.set(decisionId, { decisionId, status: 'pending', requiredRole, inFlight: false, deadline: deadlineIn(timeoutMs) });
    }
    if (await this.waitForAnswers(timeoutMs)) return;
    if (rule.onTimeout === 'escalate') {
      await this.closeOpen('escalated', `no answer within ${rule.timeoutSeconds}s: escalated to an admin`, timeoutMs);
      if (await this.waitForAnswers(timeoutMs)) return;
    }
    const why = rule.onTimeout === 'escalate' ? 'the escalation was not answered in time' : `no answer within ${rule.timeoutSeconds}s`;
    await this.closeOpen('timed-out', `${why}: rejected by timeout`, timeoutMs);
  }

  /**
   * Synchronous and read-only: refuses what needs no database to refuse. Temporal keeps no record of
   * an update its validator refused, so the worker's log does.
   */
  private validate(msg: unknown): void {
    const problem = this.validationProblem(msg);
    if (!problem) return;
    log.warn('Approval update refused', { runId: this.runId, reason: problem });
    throw new Error(problem);
  }

  private validationProblem(msg: unknown): string | null {
    const shape = proofShapeProblem(msg);
    if (shape) return shape;
    const proof = msg as ApprovalProof;
    const problem = this.liveProblem(proof);
    if (problem) return problem;
    if (!('decisionId' in proof)) return this.open().length === 0 ? 'No decision of this run is waiting for approval' : null;
    const slot = this.slots.get(proof.decisionId);
    if (slot?.inFlight) return `Decision ${proof.decisionId} is being decided by someone else right now`;
    return slotProblem(slot, proof.decisionId);
  }

  private liveProblem(proof: ApprovalProof): string | null {
    if (this.used.has(proofRef(proof))) return `${'batchId' in proof ? 'Batch' : 'Approval'} ${proofRef(proof)} was already used`;
    if (this.closing) return 'The approval window is closing: the timeout outcome is being applied';
    return null;
  }

  private async apply(msg: ApprovalProof | ApprovalRequest): Promise<ApprovalReply> {
    if (!patched(VERIFIED_APPROVALS)) return this.applyUnverified(msg as ApprovalRequest);
    const proof = msg as ApprovalProof;
    const stored = await proofs.loadApprovals(proof);
    const check = this.check(proof, stored);
    const status: 'approved' | 'rejected' = stored!.verdict === 'approve' ? 'approved' : 'rejected';
    const by = approverLabel(stored!.actor);
    const at = new Date().toISOString();
    const slots = check.accepted.map((id) => this.slots.get(id)!);
    for (const slot of slots) slot.inFlight = true;
    try {
      await proofs.recordApprovals({ runId: this.runId!, proof, decisionIds: check.accepted, by, at });
      for (const slot of slots) Object.assign(slot, { status, decidedBy: by, decidedAt: at });
      this.used.add(proofRef(proof));
    } finally {
      for (const slot of slots) slot.inFlight = false;
    }
    return { status, decided: slots.length, refused: check.refused };
  }

  /** Throws the refusal (an update failure; no state has changed) unless some decision may take the verdict. */
  private check(proof: ApprovalProof, stored: StoredApprovals | null): StoredApprovalCheck {
    const problem = this.liveProblem(proof);
    const check = problem ?? checkStoredApprovals(proof, stored, this.runId ?? '', (id) => this.view(id));
    const refusal = typeof check === 'string' ? check : check.accepted.length === 0 ? noneApplies(check) : null;
    if (refusal === null) return check as StoredApprovalCheck;
    log.warn('Approval update refused', { runId: this.runId, reason: refusal });
    throw ApplicationFailure.nonRetryable(refusal, 'ApprovalRefused');
  }

  private view(decisionId: string) {
    const slot = this.slots.get(decisionId);
    return slot && { ...slot, busy: slot.inFlight };
  }

  /** The path of histories recorded before approvals were verified; live updates never reach it (the validator refuses their shape). */
  private async applyUnverified(req: ApprovalRequest): Promise<ApprovalReply> {
    const slot = this.slots.get(req.decisionId)!;
    slot.inFlight = true;
    const status: ApprovalStatus = req.verdict === 'approve' ? 'approved' : 'rejected';
    const by = approverLabel(req.actor);
    const at = new Date().toISOString();
    try {
      await this.record({ decisionId: req.decisionId, status, by, reason: req.reason, at });
      Object.assign(slot, { status, decidedBy: by, decidedAt: at });
    } finally {
      slot.inFlight = false;
    }
    return { status, decided: 1, refused: [] };
  }

  /** True when every slot is answered in time. Answers already in flight are let finish. */
  private async waitForAnswers(timeoutMs: number): Promise<boolean> {
    const answered = await condition(() => this.open().length === 0 && !this.anyInFlight(), timeoutMs);
    if (!answered) await condition(() => !this.anyInFlight());
    return this.open().length === 0;
  }

  private async closeOpen(status: 'escalated' | 'timed-out', reason: string, nextTimeoutMs: number): Promise<void> {
    const at = new Date().toISOString();
    this.closing = true;
    try {
      for (const slot of this.open()) {
        await this.record({ decisionId: slot.decisionId, status, reason, at });
        if (status === 'escalated') Object.assign(slot, { status, requiredRole: 'admin', deadline: deadlineIn(nextTimeoutMs) });
        else Object.assign(slot, { status, decidedAt: at, decidedBy: 'timeout' });
      }
    } finally {
      this.closing = false;
    }
  }

  private open(): Slot[] {
    return [...this.slots.values()].filter((s) => isApprovalOpen(s.status));
  }

  private anyInFlight(): boolean {
    return [...this.slots.values()].some((s) => s.inFlight);
  }
}

function noneApplies(check: StoredApprovalCheck): string {
  const first = check.refused[0]!.why;
  return check.refused.length === 1 ? first : `None of the ${check.refused.length} approvals applies; the first: ${first}`;
}

function deadlineIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
