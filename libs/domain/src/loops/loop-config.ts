/**
 * How an operator configures a loop instance. Plain data shared by the API (validation), the
 * worker (execution) and the workflows (sandboxed), so no classes and no Node here.
 */
export const LOOP_MODES = ['live', 'shadow', 'dry-run'] as const;
export type LoopMode = (typeof LOOP_MODES)[number];

/** Modes that decide and record but never touch the outside world. */
export function modeActs(mode: LoopMode): boolean {
  return mode === 'live';
}

/**
 * `catchupWindowSeconds`: how late a fire Temporal missed (it was down) may still run; absent means
 * the default (durability.ts). Stored in the trigger, so older loops simply lack it.
 */
export type LoopTrigger =
  | { type: 'cron'; cron: string; catchupWindowSeconds?: number }
  | { type: 'interval'; everySeconds: number; catchupWindowSeconds?: number }
  | { type: 'event' };

export const TIMEOUT_OUTCOMES = ['reject', 'escalate'] as const;
export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

/** Who may answer a waiting decision of a loop: operators (the default) or admins only. */
export const APPROVER_ROLES = ['operator', 'admin'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** `role` is absent on rules stored before it existed; they mean operator. */
export type ApprovalRule =
  | { when: 'never' }
  | { when: 'always'; timeoutSeconds: number; onTimeout: TimeoutOutcome; role?: ApproverRole }
  | { when: 'above'; threshold: number; timeoutSeconds: number; onTimeout: TimeoutOutcome; role?: ApproverRole };

/** The lowest role that may approve or reject under this rule before any escalation. */
export function approverRole(rule: ApprovalRule): ApproverRole {
  return rule.when === 'never' ? 'operator' : (rule.role ?? 'operator');
}

/** Whether a decision of this size must wait for a person. */
export function approvalRequired(rule: ApprovalRule, magnitude: number): boolean {
  if (rule.when === 'never') return false;
  if (rule.when === 'always') return true;
  return magnitude > rule.threshold;
}

/** Where actions go. `record` keeps the effect inside opsloop (useful for audits and tests). */
export type ActionTarget =
  | { type: 'webhook'; url: string; timeoutSeconds: number; maxAttempts: number }
  | { type: 'record' };

export const OVERLAP_POLICIES = ['skip', 'buffer-one', 'allow-all', 'cancel-other'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface LoopConfig {
  kind: string;
  policyVersion: string;
  params: Record<string, unknown>;
  mode: LoopMode;
  trigger: LoopTrigger;
  overlap: OverlapPolicy;
  approval: ApprovalRule;
  actionTarget: ActionTarget;
  /** How long one stage of a run keeps retrying through outages before the run fails (seconds). */
  stageDeadlineSeconds: number;
}

export interface LoopInstance extends LoopConfig {
  id: string;
  name: string;
  enabled: boolean;
  paramsVersion: number;
  createdAt: string;
  updatedAt: string;
}
