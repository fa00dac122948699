/** What GET /runs/:id/progress answers: the run workflow's own view of where it is, as a response shape. */
import { ApiProperty } from '@nestjs/swagger';
import { APPROVAL_STATUSES, ApprovalStatus, ROLES, STAGES } from '@opsloop/domain';
import type { RunProgress } from '../../../../workflows/loop-run/messages';

const PROGRESS_STAGES = [...STAGES, 'opening', 'done'] as const;

export class OpenApprovalDto {
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ enum: APPROVAL_STATUSES }) status!: ApprovalStatus;
  @ApiProperty({ enum: ROLES, description: 'the lowest role that may decide it now' }) requiredRole!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when it times out' }) deadline!: string | null;
}

export class ActionCountsDto {
  @ApiProperty({ type: 'integer' }) succeeded!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
  @ApiProperty({ type: 'integer' }) skipped!: number;
}

export class RunProgressDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null while the run is opening' }) runId!: string | null;
  @ApiProperty({ enum: PROGRESS_STAGES }) stage!: RunProgress['stage'];
  @ApiProperty({ type: 'integer' }) decisions!: number;
  @ApiProperty({ type: [OpenApprovalDto] }) approvals!: OpenApprovalDto[];
  @ApiProperty({ type: ActionCountsDto }) actions!: ActionCountsDto;
}

export function toRunProgressDto(p: RunProgress): RunProgressDto {
  return {
    runId: p.runId, stage: p.stage, decisions: p.decisions,
    approvals: p.approvals.map((a) => ({ decisionId: a.decisionId, status: a.status, requiredRole: a.requiredRole, deadline: a.deadline })),
    actions: { succeeded: p.actions.succeeded, failed: p.actions.failed, skipped: p.actions.skipped },
  };
}
