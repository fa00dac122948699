/** Writes a person's (or the timeout's) answer to a decision into the decision row and the ledger. */
import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DecisionRepository, LedgerRepository } from '@opsloop/persistence';
import type { ApprovalResolution, LoopRunActivities } from '../../../../workflows/loop-run/contract';

@Injectable()
export class ApprovalActivities implements Pick<LoopRunActivities, 'recordApproval'> {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async recordApproval(r: ApprovalResolution): Promise<void> {
    const d = await this.decisions.findById(r.decisionId);
    if (!d) throw ApplicationFailure.nonRetryable(`Decision ${r.decisionId} does not exist`, 'DecisionNotFound');
    await this.decisions.setApproval(d.id, { status: r.status, by: r.by, at: r.at, reason: r.reason });
    await this.ledger.append({
      entryKey: `approval:${d.id}:${r.status}`, type: 'approval', loopId: d.loopId, runId: d.runId, decisionId: d.id,
      body: { status: r.status, by: r.by ?? null, at: r.at, reason: r.reason ?? null },
    });
  }
}
