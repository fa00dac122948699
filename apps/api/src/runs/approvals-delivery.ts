/**
 * Gives approvals the only way a run accepts them: each is stored with its ledger entry in one
 * transaction, then ONE update carries only the approval's id (or the batch's id) to the run,
 * which loads the stored record and checks it. When the run refuses one, a `refused` entry
 * follows its approval entry, so every approval in the ledger was either applied or says why not.
 */
import { ForbiddenException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApprovalProof, approverLabel, NewLedgerEntry, Role } from '@opsloop/domain';
import { ApprovalRepository, LedgerRepository, NewApproval } from '@opsloop/persistence';
import { decideApprovalUpdate } from '../../../../workflows/loop-run/messages';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';

export interface DeliveryResult {
  /** How many decisions took the verdict. */
  decided: number;
  refused: { decisionId: string; why: string }[];
}

@Injectable()
export class ApprovalDelivery {
  constructor(
    private readonly approvals: ApprovalRepository,
    private readonly ledger: LedgerRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** `given` all answer decisions of the run behind `workflowId`; `proof` names them (one approval id, or their batch id). */
  async deliver(workflowId: string, given: NewApproval[], proof: ApprovalProof, deadlineMs: number): Promise<DeliveryResult> {
    const at = new Date().toISOString();
    await this.ledger.withEntries(async (tx) => {
      await this.approvals.insert(tx, given);
      return { result: undefined, entries: given.map((a) => givenEntry(a, at)) };
    });
    const result = await this.send(workflowId, proof, given, deadlineMs);
    await this.recordRefusals(given, result.refused);
    return result;
  }

  private async send(workflowId: string, proof: ApprovalProof, given: NewApproval[], deadlineMs: number): Promise<DeliveryResult> {
    try {
      const reply = await this.temporal.connection.withDeadline(Date.now() + deadlineMs, () =>
        this.temporal.workflow.getHandle(workflowId).executeUpdate(decideApprovalUpdate, { args: [proof] }));
      return { decided: reply.decided, refused: reply.refused };
    } catch (err) {
      const why = refusal(err);
      if (why === null) {
        const ids = 'batchId' in proof ? `batch ${proof.batchId}` : `approval ${proof.approvalId}`;
        throw new ServiceUnavailableException(
          `The ${ids} is stored but the run's workflow could not be reached (${err instanceof Error ? err.message : String(err)}); the run applies it if it arrived, otherwise ask again`,
        );
      }
      return { decided: 0, refused: given.map((a) => ({ decisionId: a.decisionId, why })) };
    }
  }

  private async recordRefusals(given: NewApproval[], refused: DeliveryResult['refused']): Promise<void> {
    if (refused.length === 0) return;
    const byDecision = new Map(given.map((a) => [a.decisionId, a]));
    const entries: NewLedgerEntry[] = [];
    for (const r of refused) {
      const a = byDecision.get(r.decisionId);
      if (!a) continue;
      entries.push({
        entryKey: `approval-refused:${a.id}`, type: 'approval', loopId: a.loopId, runId: a.runId, decisionId: a.decisionId,
        body: { status: 'refused', approvalId: a.id, batchId: a.batchId, by: approverLabel(a.actor), why: r.why },
      });
    }
    await this.ledger.appendMany(entries);
  }
}

/** The ledger entry of one approval, written with its row: who (key and role), what, why. */
function givenEntry(a: NewApproval, at: string): NewLedgerEntry {
  return {
    entryKey: `approval:${a.decisionId}:${a.id}`, type: 'approval', loopId: a.loopId, runId: a.runId, decisionId: a.decisionId,
    body: {
      status: a.verdict === 'approve' ? 'approved' : 'rejected', by: approverLabel(a.actor), at, reason: a.reason,
      approvalId: a.id, batchId: a.batchId, actor: { keyId: a.actor.keyId, name: a.actor.name, role: a.actor.role },
    },
  };
}

/** The run's reason for refusing, or null when the run was not reached (nothing was decided either way). */
function refusal(err: unknown): string | null {
  if (err instanceof WorkflowNotFoundError) return `The run no longer waits for approvals (${err.message})`;
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  // An activity failure wraps the real cause one level deeper.
  let cause: unknown = err.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : err.message;
}

/** A 403 that names the role needed, as every 403 of the API does. */
export function roleRefusal(message: string, requiredRole: Role): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', requiredRole, message });
}
