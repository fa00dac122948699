/**
 * A person approves or rejects waiting decisions: one, or all of a run's that match a filter in
 * one request. The stored state answers the common refusals (unknown, already decided, timed
 * out, role too low) with a clear message before anything is stored; the run has the final word
 * on the stored approval and catches races (see ApprovalDelivery).
 */
import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  ApiKey, ApprovalActor, approvalProblem, ApproverRole, approverRole, DecisionRecord, isApprovalOpen, roleAllows, RunRecord, selectForBulk, slotOfRow,
} from '@opsloop/domain';
import { ApprovalRepository, DecisionRepository, NewApproval, RunRepository } from '@opsloop/persistence';
import { ApprovalDelivery, roleRefusal } from './approvals-delivery';
import { BulkApprovalBodyDto, BulkApprovalResultDto } from './approvals.dto';
import { ApprovalBodyDto, DecisionDto, toDecisionDto } from './runs.dto';

const UPDATE_DEADLINE_MS = 15_000;
/** A batch of thousands is checked and written by the run in a few seconds; leave room for a busy worker. */
const BULK_UPDATE_DEADLINE_MS = 60_000;

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly runs: RunRepository,
    private readonly approvals: ApprovalRepository,
    private readonly delivery: ApprovalDelivery,
  ) {}

  async get(id: string): Promise<DecisionDto> {
    return toDecisionDto(await this.existing(id));
  }

  async decide(id: string, body: ApprovalBodyDto, key: ApiKey): Promise<DecisionDto> {
    const decision = await this.existing(id);
    const actor = actorOf(key);
    const run = (await this.runs.findById(decision.runId))!;
    const slot = slotOfRow(decision, approverRole(run.approval));
    const problem = approvalProblem(slot, { decisionId: id, verdict: body.verdict, reason: body.reason, actor });
    if (problem) throw slot && isApprovalOpen(slot.status) && !roleAllows(key.role, slot.requiredRole) ? roleRefusal(problem, slot.requiredRole) : new ConflictException(problem);
    const approval = newApproval(run, decision.id, null, actor, body);
    const result = await this.delivery.deliver(run.workflowId, [approval], { approvalId: approval.id, decisionId: id }, UPDATE_DEADLINE_MS);
    if (result.refused.length > 0) throw new ConflictException(result.refused[0]!.why);
    return toDecisionDto(await this.existing(id));
  }

  /** One verdict for many decisions of a run: one transaction, one update, one answer that accounts for each. */
  async decideRun(runId: string, body: BulkApprovalBodyDto, key: ApiKey): Promise<BulkApprovalResultDto> {
    const run = await this.runs.findById(runId);
    if (!run) throw new NotFoundException(`No run with id ${runId}`);
    const baseRole = approverRole(run.approval);
    const rows = await this.approvals.decisionsForBulk(runId, body.filter ?? {});
    const { decide, skips } = selectForBulk(rows, body.filter?.decisionIds, key.role, baseRole);
    const answer = { runId, batchId: null as string | null, verdict: body.verdict, approved: 0, rejected: 0 };
    if (decide.length === 0) {
      const waiting = rows.filter((r) => isApprovalOpen(r.approvalStatus));
      // Everything that waits needs a higher role: say so as every 403 does, rather than "0 approved".
      if (waiting.length > 0) throw roleRefusal(skips.find((s) => waiting.some((w) => w.id === s.decisionId))!.reason, neededRole(waiting, baseRole));
      return { ...answer, skipped: skips.length, skips };
    }
    const batchId = randomUUID();
    const actor = actorOf(key);
    const given = decide.map((d) => newApproval(run, d.id, batchId, actor, body));
    const result = await this.delivery.deliver(run.workflowId, given, { batchId }, BULK_UPDATE_DEADLINE_MS);
    const subjects = new Map(decide.map((d) => [d.id, d.subject]));
    const refused = result.refused.map((r) => ({ decisionId: r.decisionId, subject: subjects.get(r.decisionId) ?? null, reason: r.why }));
    const all = [...skips, ...refused];
    const counted = body.verdict === 'approve' ? { approved: result.decided } : { rejected: result.decided };
    return { ...answer, batchId, ...counted, skipped: all.length, skips: all };
  }

  private async existing(id: string): Promise<DecisionRecord> {
    const d = await this.decisions.findById(id);
    if (!d) throw new NotFoundException(`No decision with id ${id}`);
    return d;
  }
}

function actorOf(key: ApiKey): ApprovalActor {
  return { keyId: key.id, name: key.name, role: key.role };
}

function newApproval(run: RunRecord, decisionId: string, batchId: string | null, actor: ApprovalActor, body: ApprovalBodyDto): NewApproval {
  return { id: randomUUID(), batchId, decisionId, runId: run.id, loopId: run.loopId, actor, verdict: body.verdict, reason: body.reason };
}

/** The lowest role that could have decided any of the waiting decisions. */
function neededRole(waiting: { approvalStatus: string }[], baseRole: ApproverRole): ApproverRole {
  return waiting.some((w) => w.approvalStatus === 'pending') ? baseRole : 'admin';
}
