/** Reads the decision ledger and checks its hash chain for the API. */
import { Injectable } from '@nestjs/common';
import { LedgerRepository } from '@opsloop/persistence';
import { LedgerPageResponseDto, LedgerQueryDto, LedgerVerdictResponseDto, toLedgerPageResponse, toLedgerVerdictResponse } from './ledger.dto';

@Injectable()
export class LedgerService {
  constructor(private readonly ledger: LedgerRepository) {}

  async list(q: LedgerQueryDto): Promise<LedgerPageResponseDto> {
    const entries = await this.ledger.list({
      loopId: q.loopId,
      runId: q.runId,
      decisionId: q.decisionId,
      type: q.type,
      afterSeq: q.afterSeq,
      limit: q.limit,
    });
    return toLedgerPageResponse(entries, q.limit);
  }

  /** A broken chain is a finding, not a failed request: it answers 200 with ok=false. */
  async verify(): Promise<LedgerVerdictResponseDto> {
    return toLedgerVerdictResponse(await this.ledger.verify());
  }
}
