/** Read models of the engine's rows, as the API and the activities see them. */
import type { ActionTarget, ApprovalRule, LoopMode } from './loop-config';
import type { ActionStatus, ApprovalStatus, RunStatus, RunTrigger, StepStatus } from './run-state';

export interface RunRecord {
  id: string;
  workflowId: string;
  loopId: string;
  kind: string;
  mode: LoopMode;
  trigger: RunTrigger;
  policyVersion: string;
  params: Record<string, unknown>;
  paramsVersion: number;
  approval: ApprovalRule;
  actionTarget: ActionTarget;
  event: Record<string, unknown> | null;
  status: RunStatus;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** When the act step was recorded (actions sent, failed or skipped); null before that. */
  actedAt: string | null;
  /** When the loop's feedback workflow measures the outcome; null when none is measured. */
  outcomeDueAt: string | null;
}

export interface StepRecord {
  id: string;
  runId: string;
  stage: string;
  status: StepStatus;
  attempt: number;
  durationMs: number | null;
  error: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

export interface DecisionRecord {
  id: string;
  runId: string;
  loopId: string;
  seq: number;
  subject: string;
  decision: string;
  magnitude: number;
  explanation: string;
  inputs: Record<string, unknown>;
  action: Record<string, unknown> | null;
  approvalStatus: ApprovalStatus;
  approvalBy: string | null;
  approvalAt: string | null;
  approvalReason: string | null;
  actionStatus: ActionStatus;
  actionResult: Record<string, unknown> | null;
  /** What the action means (intent.ts); null when it has none or was decided before intents. */
  intentKey: string | null;
  /** The decision that holds this one's intent, when this one was a duplicate and sent nothing. */
  duplicateOf: string | null;
  outcome: Record<string, unknown> | null;
  score: number | null;
  createdAt: string;
}
