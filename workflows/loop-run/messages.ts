/** Typed messages of the run workflow: progress query and the approval update. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalRequest, ApprovalStatus, Stage } from '@opsloop/domain';

export interface RunProgress {
  runId: string | null;
  stage: Stage | 'opening' | 'done';
  decisions: number;
  approvals: { decisionId: string; status: ApprovalStatus; requiredRole: string; deadline: string | null }[];
  actions: { succeeded: number; failed: number; skipped: number };
}

export interface ApprovalReply {
  decisionId: string;
  status: ApprovalStatus;
}

export const progressQuery = defineQuery<RunProgress>('progress');
export const decideApprovalUpdate = defineUpdate<ApprovalReply, [ApprovalRequest]>('decideApproval');
