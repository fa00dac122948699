/** What the loop workflows need from activities, and the plain data they pass. Ids, not bulk data. */
import type { FeedbackActivities, OutcomeHandoffActivities } from '../loop-feedback/contract';
import type { ApprovalProofActivities } from './approval-contract';
import type { ActionTarget, ApprovalRule, ApprovalStatus, KindStage, LoopMode, RunStatus, RunTrigger } from '@opsloop/domain';

export interface LoopRunInput {
  loopId: string;
  trigger: RunTrigger;
  /** Stored with the run; for event and hand-started runs. */
  event?: Record<string, unknown> | null;
}

export interface RunPlan {
  runId: string;
  loopId: string;
  kind: string;
  mode: LoopMode;
  approval: ApprovalRule;
  actionTarget: ActionTarget;
  outcomeWindowSeconds: number | null;
  tunable: boolean;
  /** How long each stage may keep retrying through outages; absent in histories from before it existed (the default applies). */
  stageDeadlineSeconds?: number;
}

export interface DecisionSummary {
  decisionId: string;
  hasAction: boolean;
  /** Fixed by the decide stage from the approval rule, the magnitude and the mode. */
  needsApproval: boolean;
}

export interface StageResult {
  /** Set by the quality stage when the data gate says stop. */
  blocked?: string;
  /** Set by the decide stage. */
  decisions?: DecisionSummary[];
}

export interface ApprovalResolution {
  decisionId: string;
  status: ApprovalStatus;
  by?: string;
  reason?: string;
  at: string;
}

export interface ActionReport {
  decisionId: string;
  status: 'succeeded' | 'failed' | 'skipped';
  detail: string;
}

export interface LoopRunActivities extends FeedbackActivities, OutcomeHandoffActivities, ApprovalProofActivities {
  openRun(input: LoopRunInput & { workflowId: string }): Promise<RunPlan>;
  /** Leaves a failed run row (with an `open` step) when openRun gave up, so the event is visible and can be resent. */
  recordStartFailure(input: LoopRunInput & { workflowId: string }, error: string): Promise<void>;
  runKindStage(runId: string, stage: KindStage): Promise<StageResult>;
  recordStep(runId: string, stage: string, status: 'completed' | 'failed' | 'skipped', detail?: Record<string, unknown>, error?: string): Promise<void>;
  setRunStatus(runId: string, status: RunStatus, error?: string): Promise<void>;
  recordApproval(resolution: ApprovalResolution): Promise<void>;
  performAction(decisionId: string): Promise<ActionReport>;
  recordActionSkipped(decisionId: string, reason: string): Promise<ActionReport>;
  /** Many skips of one run in one call (a mode that never acts); returns how many were recorded. */
  recordActionsSkipped(runId: string, decisionIds: string[], reason: string): Promise<number>;
  recordActionFailed(decisionId: string, reason: string): Promise<ActionReport>;
}
