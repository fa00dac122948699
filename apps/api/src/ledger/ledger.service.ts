/** Reads the decision ledger and checks its hash chain for the API. */
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { anchorMac, ApiEnv } from '@opsloop/config';
import { AnchorDirectory, anchorSourceFrom, LedgerRepository } from '@opsloop/persistence';
import { API_ENV } from '../api-env';
import { LedgerPageResponseDto, LedgerQueryDto, LedgerVerdictResponseDto, toLedgerPageResponse, toLedgerVerdictResponse } from './ledger.dto';

@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

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
    const anchors = anchorSourceFrom(new AnchorDirectory(path.resolve(this.env.OPSLOOP_ANCHOR_DIR)), anchorMac(this.env));
    return toLedgerVerdictResponse(await this.ledger.verify(anchors));
  }
}
