/**
 * One collect of a pull source: load the definition, open its sealed credentials, pull and
 * ingest, retrying the whole attempt with exponential backoff while the failure may pass (down,
 * slow, unreachable). When every attempt failed the failure is recorded through the ingest port,
 * which marks the source unhealthy, and the caller gets a typed result to act on: the API answers
 * 502/503, a loop run lets the source's gate policy decide.
 */
import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '@opsloop/config';
import type { SourceDefinition } from '@opsloop/domain';
import { BatchReport, ObservationIngest, SourceRepository } from '@opsloop/persistence';
import { describeError, SourcePullError } from './pull-source';
import { PullSources } from './pull-sources';

export interface CollectSettings {
  /** Attempts in all, the first included (SOURCE_COLLECT_ATTEMPTS). */
  attempts: number;
  /** Wait before the second attempt, doubled after each failure (SOURCE_COLLECT_BACKOFF_MS). */
  backoffMs: number;
}

export type CollectResult =
  | { ok: true; source: SourceDefinition; report: BatchReport; attempts: number }
  /** `retryable` false: the failure is in the definition (refused write, bad path, 4xx), not the outside system. */
  | { ok: false; source: SourceDefinition; error: string; attempts: number; retryable: boolean };

export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
  constructor(readonly sourceId: string) {
    super(`No source with id ${sourceId}`);
  }
}

@Injectable()
export class SourceCollector {
  private readonly log = new Logger(SourceCollector.name);

  constructor(
    private readonly sources: SourceRepository,
    private readonly box: SecretBox,
    private readonly ingest: ObservationIngest,
    private readonly pulls: PullSources,
    private readonly settings: CollectSettings,
  ) {}

  /** Throws SourceNotFoundError or SourceNotPullableError for a wrong id; every other failure is a result. */
  async collect(sourceId: string, opts: { runId?: string; signal?: AbortSignal } = {}): Promise<CollectResult> {
    const source = await this.sources.get(sourceId);
    if (!source) throw new SourceNotFoundError(sourceId);
    const connector = this.pulls.for(source);
    const origin = `collect:${source.kind}`;
    let last: { error: string; retryable: boolean } = { error: 'not attempted', retryable: true };
    let attempt = 0;
    while (attempt < this.settings.attempts) {
      attempt += 1;
      try {
        const secret = await this.openSecret(source);
        const report = await this.ingest.ingest(source, connector.pull(source, secret, opts.signal), { origin, runId: opts.runId });
        return { ok: true, source, report, attempts: attempt };
      } catch (err) {
        opts.signal?.throwIfAborted();
        last = { error: describeError(err), retryable: !(err instanceof SourcePullError) || err.retryable };
        this.log.warn(`collect of source ${source.id} (${source.kind}) failed on attempt ${attempt}/${this.settings.attempts}: ${last.error}`);
        if (!last.retryable || attempt >= this.settings.attempts) break;
        await sleep(this.settings.backoffMs * 2 ** (attempt - 1));
      }
    }
    const error = `${last.error} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
    await this.ingest.recordFailure(source.id, error, { origin, runId: opts.runId });
    return { ok: false, source, error, attempts: attempt, retryable: last.retryable };
  }

  /** The credentials as the API stored them (sealed JSON); a key mismatch is a clear, non-retryable error. */
  private async openSecret(source: SourceDefinition): Promise<Record<string, unknown> | null> {
    if (!source.hasSecret) return null;
    const sealed = await this.sources.sealedSecret(source.id);
    if (sealed === null) return null;
    let plain: string;
    try {
      plain = this.box.open(sealed);
    } catch (err) {
      throw new SourcePullError(`the source's credentials cannot be opened: ${describeError(err)}`, false);
    }
    const parsed = JSON.parse(plain) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SourcePullError('the source\'s stored credentials are not an object', false);
    return parsed as Record<string, unknown>;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
