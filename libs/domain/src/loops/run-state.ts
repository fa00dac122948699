/**
 * The stages a run walks and the states a run, a step and a decision can be in. Every
 * "is it over?" question is answered here and nowhere else.
 */
export const STAGES = ['collect', 'quality', 'evaluate', 'decide', 'approve', 'act', 'outcome', 'tune'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages the kind implements and the engine calls as one activity each, in this order. */
export const KIND_STAGES = ['collect', 'quality', 'evaluate', 'decide'] as const;
export type KindStage = (typeof KIND_STAGES)[number];

export const RUN_STATUSES = ['running', 'awaiting-approval', 'acting', 'measuring', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export function isFinalRun(status: RunStatus): boolean {
  return status === 'completed' || status === 'failed';
}

/** `abandoned`: an attempt that ended without finishing (worker lost, timeout, Postgres unreachable), closed by a later row. */
export const STEP_STATUSES = ['started', 'completed', 'failed', 'skipped', 'abandoned'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const APPROVAL_STATUSES = ['not-required', 'pending', 'escalated', 'approved', 'rejected', 'timed-out'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export function isApprovalOpen(status: ApprovalStatus): boolean {
  return status === 'pending' || status === 'escalated';
}

/** Approved, or never needed approval: the decision may act. */
export function isApprovalCleared(status: ApprovalStatus): boolean {
  return status === 'approved' || status === 'not-required';
}

/** `duplicate`: another decision holds the same business intent (see intent.ts); nothing was sent for this one. */
export const ACTION_STATUSES = ['none', 'pending', 'succeeded', 'failed', 'skipped', 'duplicate'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const RUN_TRIGGERS = ['schedule', 'manual', 'event'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
