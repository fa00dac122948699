/**
 * The approval gate's link to the approvals the API stored. `loadApprovals` only reads: whether a
 * proof may be applied is decided in the workflow, from the record returned here. Once it is,
 * `recordApprovals` writes the stored verdict into the decision rows.
 */
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { ApprovalProof, StoredApprovals } from '@opsloop/domain';
import { ApprovalRecord, ApprovalRepository } from '@opsloop/persistence';
import type { ApprovalProofActivities, RecordApprovalsInput } from '../../../../workflows/loop-run/approval-contract';

@Injectable()
export class ApprovalProofActivitiesService implements ApprovalProofActivities {
  constructor(private readonly approvals: ApprovalRepository) {}

  async loadApprovals(proof: ApprovalProof): Promise<StoredApprovals | null> {
    const rows = await this.approvals.find(proof);
    if (rows.length === 0) return null;
    if (!oneRequest(rows)) {
      // The API writes a batch from one request; rows that disagree were not written by it.
      throw ApplicationFailure.nonRetryable(`The approvals of ${'batchId' in proof ? `batch ${proof.batchId}` : proof.approvalId} disagree on run, key or verdict`, 'ApprovalRefused');
    }
    const [first] = rows as [ApprovalRecord];
    // Only ids cross into the workflow history: verdict, role and key, not each row's reason.
    return { runId: first.runId, verdict: first.verdict, actor: first.actor, decisionIds: rows.map((r) => r.decisionId) };
  }

  /** The ledger entry of each approval was written by the API when it stored the approval; this sets the decision rows. */
  async recordApprovals(input: RecordApprovalsInput): Promise<void> {
    await this.approvals.applyToDecisions(input.runId, input.proof, input.decisionIds, input);
  }
}

function oneRequest(rows: ApprovalRecord[]): boolean {
  const [first] = rows as [ApprovalRecord];
  return rows.every((r) => r.runId === first.runId && r.verdict === first.verdict && r.actor.keyId === first.actor.keyId && r.actor.role === first.actor.role);
}
