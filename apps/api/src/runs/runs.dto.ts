/** Shapes of /api/v1/runs and /api/v1/decisions, and the mappers from domain records. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import {
  ACTION_STATUSES, APPROVAL_STATUSES, APPROVAL_VERDICTS, ApprovalVerdict, DecisionRecord, LOOP_MODES, RUN_STATUSES, RUN_TRIGGERS, RunRecord,
  runStatusNote, RunStatus, STEP_STATUSES, StepRecord,
} from '@opsloop/domain';
import { actionKeyOf } from '@opsloop/connectors';
import { IsInstant, MAX_INT_PARAM, ToInt } from '../common/params';

export class ListRunsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() loopId?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) @IsOptional() @IsIn(RUN_STATUSES) status?: RunStatus;
  @ApiPropertyOptional({ format: 'date-time', description: 'runs started at or after (ISO 8601)' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'runs started before (ISO 8601)' }) @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500) limit = 50;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT_PARAM, default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(MAX_INT_PARAM) offset = 0;
}

export class ApprovalBodyDto {
  @ApiProperty({ enum: APPROVAL_VERDICTS }) @IsIn(APPROVAL_VERDICTS) verdict!: ApprovalVerdict;
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'why; kept in the ledger' }) @IsString() @Length(1, 1000) reason!: string;
}

export class RunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ format: 'uuid' }) loopId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: LOOP_MODES }) mode!: string;
  @ApiProperty({ enum: RUN_TRIGGERS }) trigger!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty({ type: 'integer' }) paramsVersion!: number;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatus;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty() temporalUiUrl!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when the run finished its act step (actions sent, failed or skipped); null before that' })
  actedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: "when the loop's feedback workflow measures the run's outcome; null when none is measured" })
  outcomeDueAt!: string | null;
  @ApiProperty({ description: 'where the run stands, in one line ("done acting at …; outcome due …")' })
  statusNote!: string;
}

export class StepDto {
  @ApiProperty() stage!: string;
  @ApiProperty({ enum: STEP_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer' }) attempt!: number;
  @ApiProperty({ type: 'integer', nullable: true }) durationMs!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) detail!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DecisionApprovalDto {
  @ApiProperty({ enum: APPROVAL_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'who decided: a key name, or timeout' }) by!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) at!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) loopId!: string;
  @ApiProperty({ type: 'integer' }) seq!: number;
  @ApiProperty() subject!: string;
  @ApiProperty() decision!: string;
  @ApiProperty() magnitude!: number;
  @ApiProperty() explanation!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) inputs!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) action!: Record<string, unknown> | null;
  @ApiProperty({ type: DecisionApprovalDto }) approval!: DecisionApprovalDto;
  @ApiProperty({ enum: ACTION_STATUSES }) actionStatus!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) actionResult!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: "What the action means (loop id and the kind's parts, e.g. sku, location, data date); null when there is no action" })
  intentKey!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The Idempotency-Key the action is (or would be) sent under: opsloop-intent-<sha256 of intentKey>' })
  idempotencyKey!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The decision holding the same intent, when this one was a duplicate and sent nothing' })
  duplicateOf!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outcome!: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true }) score!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class StageRetryDto {
  @ApiProperty({ example: 'evaluate' }) stage!: string;
  @ApiProperty({ type: 'integer', description: 'the attempt that runs next (or now)' }) attempt!: number;
  @ApiProperty({ description: "why the last attempt failed, in words (\"opsloop's Postgres was unreachable: …\", \"worker lost: …\")" }) reason!: string;
  @ApiProperty() lastError!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DatabaseUnavailable' }) lastErrorType!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextAttemptAt!: string | null;
}

export class RunDetailDto extends RunDto {
  @ApiProperty({ type: StageRetryDto, nullable: true, description: "set while an open run retries a stage (from its Temporal workflow's pending activity); statusNote then says so too" })
  retrying!: StageRetryDto | null;
  @ApiProperty({ type: [StepDto] }) steps!: StepDto[];
  @ApiProperty({ type: [DecisionDto] }) decisions!: DecisionDto[];
}

export function toRunDto(r: RunRecord, temporalUiUrl: string, now: Date): RunDto {
  return {
    id: r.id, workflowId: r.workflowId, loopId: r.loopId, kind: r.kind, mode: r.mode, trigger: r.trigger, policyVersion: r.policyVersion,
    paramsVersion: r.paramsVersion, status: r.status, error: r.error, startedAt: r.startedAt, finishedAt: r.finishedAt, temporalUiUrl,
    actedAt: r.actedAt, outcomeDueAt: r.outcomeDueAt, statusNote: runStatusNote(r, now),
  };
}

export function toStepDto(s: StepRecord): StepDto {
  return { stage: s.stage, status: s.status, attempt: s.attempt, durationMs: s.durationMs, error: s.error, detail: s.detail, at: s.createdAt };
}

export function toDecisionDto(d: DecisionRecord): DecisionDto {
  return {
    id: d.id, runId: d.runId, loopId: d.loopId, seq: d.seq, subject: d.subject, decision: d.decision, magnitude: d.magnitude,
    explanation: d.explanation, inputs: d.inputs, action: d.action,
    approval: { status: d.approvalStatus, by: d.approvalBy, at: d.approvalAt, reason: d.approvalReason },
    actionStatus: d.actionStatus, actionResult: d.actionResult, intentKey: d.intentKey, idempotencyKey: d.action === null ? null : actionKeyOf(d),
    duplicateOf: d.duplicateOf, outcome: d.outcome, score: d.score, createdAt: d.createdAt,
  };
}
