/**
 * What every kind that reads a configured source does first: find it, pull it now when it is a
 * pull source (the collector retries, records the batch and marks health), and keep what the pull
 * said about quality. `pullChecks` turns that into quality checks under the source's gate policy.
 */
import { Injectable } from '@nestjs/common';
import { PULL_KINDS, SourceCollector } from '@opsloop/connectors';
import type { GatePolicy, SourceQualityReport } from '@opsloop/domain';
import { SourceRepository } from '@opsloop/persistence';
import type { QualityCheck } from './loop-kind';

/** Plain JSON: part of a run's collect artifact. */
export interface PulledSource {
  sourceId: string;
  gatePolicy: GatePolicy | null;
  /** Set when the source does not exist (deleted, or a wrong id in the params). */
  missing: string | null;
  pulled: boolean;
  batch: { batchId: string; status: string; rowsReceived: number; rowsWritten: number; rowsQuarantined: number; attempts: number } | null;
  sourceQuality: SourceQualityReport | null;
  /** Why the pull failed after every attempt; the source is then marked unhealthy. */
  sourceError: string | null;
}

@Injectable()
export class SourcePull {
  constructor(
    private readonly sources: SourceRepository,
    private readonly collector: SourceCollector,
  ) {}

  async pull(sourceId: string, pull: boolean, runId: string): Promise<PulledSource> {
    const base = { sourceId, pulled: false, batch: null, sourceQuality: null, sourceError: null };
    const source = await this.sources.get(sourceId);
    if (!source) return { ...base, gatePolicy: null, missing: `source ${sourceId} does not exist` };
    const out: PulledSource = { ...base, gatePolicy: source.gatePolicy, missing: null };
    if (pull && PULL_KINDS.includes(source.kind)) {
      const result = await this.collector.collect(source.id, { runId });
      out.pulled = true;
      if (result.ok) {
        const r = result.report;
        out.batch = { batchId: r.batchId, status: r.status, rowsReceived: r.rowsReceived, rowsWritten: r.rowsWritten, rowsQuarantined: r.rowsQuarantined, attempts: result.attempts };
        out.sourceQuality = r.quality;
      } else {
        out.sourceError = result.error;
      }
    }
    return out;
  }
}

/**
 * Checks for one pulled source, names prefixed with `prefix`. Blocking when the source is missing,
 * or when its gate policy is 'block' and the pulled batch failed the gate or the source was down.
 */
export function pullChecks(p: PulledSource, prefix = 'source'): { checks: QualityCheck[]; blocking: boolean } {
  const checks: QualityCheck[] = [];
  let blocking = false;
  if (p.missing) {
    checks.push({ name: prefix, ok: false, message: p.missing });
    blocking = true;
  }
  if (p.sourceError) {
    checks.push({ name: `${prefix}-available`, ok: false, message: `source ${p.sourceId} is down: ${p.sourceError}` });
    blocking ||= p.gatePolicy === 'block';
  } else if (p.pulled) {
    checks.push({ name: `${prefix}-available`, ok: true, message: `pulled batch ${p.batch?.batchId} (${p.batch?.rowsWritten} rows written)` });
  }
  for (const c of p.sourceQuality?.checks ?? []) checks.push({ name: `${prefix}.${c.name}`, ok: c.ok, message: c.message });
  blocking ||= p.sourceQuality?.blocking === true;
  return { checks, blocking };
}
