/** Shapes of /api/v1/runs and /api/v1/decisions, and the mappers from domain records. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { APPROVAL_VERDICTS, ApprovalVerdict, DecisionRecord, RUN_STATUSES, RunRecord, runStatusNote, RunStatus, StepRecord } from '@opsloop/domain';

export class ListRunsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() loopId?: string;
  @ApiPropertyOptional({ enum: RUN_STATUSES }) @IsOptional() @IsIn(RUN_STATUSES) status?: RunStatus;
  @ApiPropertyOptional({ description: 'runs started at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'runs started before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 50;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class ApprovalBodyDto {
  @ApiProperty({ enum: APPROVAL_VERDICTS }) @IsIn(APPROVAL_VERDICTS) verdict!: ApprovalVerdict;
  @ApiProperty({ description: 'why; kept in the ledger' }) @IsString() @Length(1, 1000) reason!: string;
}

export class RunDto {
  @ApiProperty() id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() loopId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() mode!: string;
  @ApiProperty() trigger!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty() paramsVersion!: number;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatus;
  @ApiProperty({ nullable: true }) error!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true }) finishedAt!: string | null;
  @ApiProperty() temporalUiUrl!: string;
  /** When the run finished its act step (actions sent, failed or skipped); null before that. */
  actedAt!: string | null;
  /** When the loop's feedback workflow measures the run's outcome; null when none is measured. */
  outcomeDueAt!: string | null;
  /** Where the run stands, in one line ("done acting at …; outcome due …"). */
  statusNote!: string;
}

export class StepDto {
  @ApiProperty() stage!: string;
  @ApiProperty() status!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ nullable: true }) durationMs!: number | null;
  @ApiProperty({ nullable: true }) error!: string | null;
  @ApiProperty({ nullable: true, type: Object }) detail!: Record<string, unknown> | null;
  @ApiProperty() at!: string;
}

export class DecisionDto {
  @ApiProperty() id!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() loopId!: string;
  @ApiProperty() seq!: number;
  @ApiProperty() subject!: string;
  @ApiProperty() decision!: string;
  @ApiProperty() magnitude!: number;
  @ApiProperty() explanation!: string;
  @ApiProperty({ type: Object }) inputs!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Object }) action!: Record<string, unknown> | null;
  @ApiProperty() approval!: { status: string; by: string | null; at: string | null; reason: string | null };
  @ApiProperty() actionStatus!: string;
  @ApiProperty({ nullable: true, type: Object }) actionResult!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object }) outcome!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true }) score!: number | null;
  @ApiProperty() createdAt!: string;
}

export class RunDetailDto extends RunDto {
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
    actionStatus: d.actionStatus, actionResult: d.actionResult, outcome: d.outcome, score: d.score, createdAt: d.createdAt,
  };
}
