/** Typed messages of the run workflow: progress query and the approval update. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalProof, ApprovalStatus, Stage } from '@opsloop/domain';

export interface RunProgress {
  runId: string | null;
  stage: Stage | 'opening' | 'done';
  decisions: number;
  approvals: { decisionId: string; status: ApprovalStatus; requiredRole: string; deadline: string | null }[];
  actions: { succeeded: number; failed: number; skipped: number };
}

/** What one update settled: how many decisions took the verdict, and which of the proof's were refused and why. */
export interface ApprovalReply {
  status: ApprovalStatus;
  decided: number;
  refused: { decisionId: string; why: string }[];
}

export const progressQuery = defineQuery<RunProgress>('progress');
/** Carries only the id of an approval (or batch) the API stored; the run reads verdict and role from that record. */
export const decideApprovalUpdate = defineUpdate<ApprovalReply, [ApprovalProof]>('decideApproval');
