/**
 * A person approves or rejects a waiting decision. The stored state answers the common refusals
 * (unknown, already decided, timed out, role too low) with a clear message; the workflow's update
 * validator has the final word and catches races.
 */
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApiKey, approvalProblem, ApprovalRequest, ApprovalRule, ApprovalSlot, approverRole, DecisionRecord, isApprovalOpen, roleAllows } from '@opsloop/domain';
import { DecisionRepository, RunRepository } from '@opsloop/persistence';
import { decideApprovalUpdate } from '../../../../workflows/loop-run/messages';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';
import { ApprovalBodyDto, DecisionDto, toDecisionDto } from './runs.dto';

const UPDATE_DEADLINE_MS = 15_000;

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly runs: RunRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async get(id: string): Promise<DecisionDto> {
    return toDecisionDto(await this.existing(id));
  }

  async decide(id: string, body: ApprovalBodyDto, key: ApiKey): Promise<DecisionDto> {
    const decision = await this.existing(id);
    const request: ApprovalRequest = { decisionId: id, verdict: body.verdict, reason: body.reason, actor: { keyId: key.id, name: key.name, role: key.role } };
    const run = (await this.runs.findById(decision.runId))!;
    const slot = slotFromRow(decision, run.approval);
    const problem = approvalProblem(slot, request);
    if (problem) throw slot && isApprovalOpen(slot.status) && !roleAllows(key.role, slot.requiredRole) ? new ForbiddenException(problem) : new ConflictException(problem);
    await this.sendUpdate(run.workflowId, request);
    return toDecisionDto(await this.existing(id));
  }

  private async sendUpdate(workflowId: string, request: ApprovalRequest): Promise<void> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).executeUpdate(decideApprovalUpdate, { args: [request] }));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ConflictException(err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError) throw new ConflictException(`The run no longer waits for approvals (${err.message})`);
      throw new ServiceUnavailableException(`Cannot reach the run's workflow (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private async existing(id: string): Promise<DecisionRecord> {
    const d = await this.decisions.findById(id);
    if (!d) throw new NotFoundException(`No decision with id ${id}`);
    return d;
  }
}

/**
 * The row as the approval rules see it; a decision that never needed a person has no slot. The
 * approver role is the rule's the run started with (a loop edited since does not change it).
 */
function slotFromRow(d: DecisionRecord, rule: ApprovalRule): ApprovalSlot | undefined {
  if (d.approvalStatus === 'not-required') return undefined;
  return {
    decisionId: d.id,
    status: d.approvalStatus,
    requiredRole: d.approvalStatus === 'escalated' ? 'admin' : approverRole(rule),
    decidedBy: d.approvalBy ?? (d.approvalStatus === 'timed-out' ? 'timeout' : undefined),
    decidedAt: d.approvalAt ?? undefined,
  };
}
