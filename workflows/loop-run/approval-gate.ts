/**
 * The human step of a run. Decisions that need a person wait here; an operator answers through
 * the `decideApproval` update, whose validator refuses late, repeated or under-privileged answers
 * before anything is written. A timer applies the rule's timeout outcome.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { approvalProblem, ApprovalRequest, ApprovalRule, ApprovalSlot, ApprovalStatus, isApprovalOpen } from '@opsloop/domain';
import type { ApprovalResolution } from './contract';
import { ApprovalReply, decideApprovalUpdate, RunProgress } from './messages';

type Slot = ApprovalSlot & { inFlight: boolean; deadline: string | null };
type Record = (resolution: ApprovalResolution) => Promise<void>;

export class ApprovalGate {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly record: Record) {}

  /** Must run before the workflow's first await, so no early update finds no handler. */
  install(): void {
    setHandler(decideApprovalUpdate, (req) => this.apply(req), { validator: (req) => this.validate(req) });
  }

  status(decisionId: string): Slot | undefined {
    return this.slots.get(decisionId);
  }

  progress(): RunProgress['approvals'] {
    return [...this.slots.values()].map((s) => ({ decisionId: s.decisionId, status: s.status, requiredRole: s.requiredRole, deadline: s.deadline }));
  }

  /** Opens slots for the decisions and waits until each is answered or the timeout outcome applies. */
  async await(decisionIds: string[], rule: ApprovalRule): Promise<void> {
    if (decisionIds.length === 0 || rule.when === 'never') return;
    const timeoutMs = rule.timeoutSeconds * 1000;
    for (const decisionId of decisionIds) {
      this.slots.set(decisionId, { decisionId, status: 'pending', requiredRole: 'operator', inFlight: false, deadline: deadlineIn(timeoutMs) });
    }
    if (await this.waitForAnswers(timeoutMs)) return;
    if (rule.onTimeout === 'escalate') {
      await this.closeOpen('escalated', `no answer within ${rule.timeoutSeconds}s: escalated to an admin`, timeoutMs);
      if (await this.waitForAnswers(timeoutMs)) return;
    }
    const why = rule.onTimeout === 'escalate' ? 'the escalation was not answered in time' : `no answer within ${rule.timeoutSeconds}s`;
    await this.closeOpen('timed-out', `${why}: rejected by timeout`, timeoutMs);
  }

  private validate(req: ApprovalRequest): void {
    const slot = this.slots.get(req.decisionId);
    if (slot?.inFlight) throw new Error(`Decision ${req.decisionId} is being decided by someone else right now`);
    const problem = approvalProblem(slot, req);
    if (problem) throw new Error(problem);
  }

  private async apply(req: ApprovalRequest): Promise<ApprovalReply> {
    const slot = this.slots.get(req.decisionId)!;
    slot.inFlight = true;
    const status: ApprovalStatus = req.verdict === 'approve' ? 'approved' : 'rejected';
    const by = `${req.actor.name} (key ${req.actor.keyId}, ${req.actor.role})`;
    const at = new Date().toISOString();
    try {
      await this.record({ decisionId: req.decisionId, status, by, reason: req.reason, at });
      Object.assign(slot, { status, decidedBy: by, decidedAt: at });
    } finally {
      slot.inFlight = false;
    }
    return { decisionId: req.decisionId, status };
  }

  /** True when every slot is answered in time. Answers already in flight are let finish. */
  private async waitForAnswers(timeoutMs: number): Promise<boolean> {
    const answered = await condition(() => this.open().length === 0 && !this.anyInFlight(), timeoutMs);
    if (!answered) await condition(() => !this.anyInFlight());
    return this.open().length === 0;
  }

  private async closeOpen(status: 'escalated' | 'timed-out', reason: string, nextTimeoutMs: number): Promise<void> {
    const at = new Date().toISOString();
    for (const slot of this.open()) {
      await this.record({ decisionId: slot.decisionId, status, reason, at });
      if (status === 'escalated') Object.assign(slot, { status, requiredRole: 'admin', deadline: deadlineIn(nextTimeoutMs) });
      else Object.assign(slot, { status, decidedAt: at, decidedBy: 'timeout' });
    }
  }

  private open(): Slot[] {
    return [...this.slots.values()].filter((s) => isApprovalOpen(s.status));
  }

  private anyInFlight(): boolean {
    return [...this.slots.values()].some((s) => s.inFlight);
  }
}

function deadlineIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

