/** Activities the approval gate uses to check an approval the API stored, and to record it once checked. */
import type { ApprovalProof, StoredApprovals } from '@opsloop/domain';

export interface RecordApprovalsInput {
  runId: string;
  proof: ApprovalProof;
  /** The decisions the run accepted the proof for; its other approvals are left alone. */
  decisionIds: string[];
  /** Who, as the run names them; the verdict itself is read from the stored approvals. */
  by: string;
  at: string;
}

export interface ApprovalProofActivities {
  /** The stored approval (or batch) the proof names, or null when the API stored none. Reads only. */
  loadApprovals(proof: ApprovalProof): Promise<StoredApprovals | null>;
  /** Writes the stored verdict into the accepted decisions that still wait (their ledger entries came with the approval); safe to retry. */
  recordApprovals(input: RecordApprovalsInput): Promise<void>;
}
