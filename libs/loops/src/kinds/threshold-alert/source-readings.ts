/**
 * Threshold-alert readings from a configured source: pull it now when it is a pull source (the
 * collector retries, records the batch and marks health), then read the newest stored point of
 * each configured series. The batch's quality report becomes the run's quality report, so the
 * source's gate policy decides whether a bad batch or a source that is down blocks the run.
 */
import { Injectable } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { FieldError } from '@opsloop/config';
import { PULL_KINDS, SourceCollector } from '@opsloop/connectors';
import type { GatePolicy, SourceQualityReport } from '@opsloop/domain';
import { ObservationReader, SourceRepository } from '@opsloop/persistence';
import type { Json, QualityCheck, QualityReport } from '../../loop-kind';

export class SourceReadingParams {
  @IsUUID()
  sourceId!: string;

  /** Series keys to read, e.g. `cpu.eu` or `A-1|store-2`; each becomes one reading. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(500, { each: true })
  series!: string[];

  /** Pull the source before reading (pull kinds only); false reads what is already stored. */
  @IsOptional() @IsBoolean()
  pull = true;
}

export interface SourceReading {
  series: string;
  value: number;
  ts: string;
}

/** The collect artifact of a run that read a source: plain JSON, kept and hashed with the run. */
export interface SourceCollected {
  source: 'source';
  sourceId: string;
  gatePolicy: GatePolicy | null;
  /** Set when the source does not exist (deleted, or a wrong id in the params). */
  missing: string | null;
  pulled: boolean;
  batch: { batchId: string; status: string; rowsReceived: number; rowsWritten: number; rowsQuarantined: number; attempts: number } | null;
  sourceQuality: SourceQualityReport | null;
  /** Why the pull failed after every attempt; the source is then marked unhealthy. */
  sourceError: string | null;
  readings: SourceReading[];
}

export function sourceParamsProblems(params: { source?: SourceReadingParams; probe?: unknown }): FieldError[] {
  if (params.source && params.probe) {
    return [{ field: 'params.source', messages: ['params.source and params.probe cannot both be set: a loop reads one of them'] }];
  }
  return [];
}

@Injectable()
export class SourceReadings {
  constructor(
    private readonly sources: SourceRepository,
    private readonly collector: SourceCollector,
    private readonly observations: ObservationReader,
  ) {}

  async collect(params: SourceReadingParams, runId: string): Promise<Json> {
    const base = { source: 'source' as const, sourceId: params.sourceId, pulled: false, batch: null, sourceQuality: null, sourceError: null, readings: [] };
    const source = await this.sources.get(params.sourceId);
    if (!source) return { ...base, gatePolicy: null, missing: `source ${params.sourceId} does not exist` } satisfies SourceCollected;
    const out: SourceCollected = { ...base, gatePolicy: source.gatePolicy, missing: null };
    if (params.pull !== false && PULL_KINDS.includes(source.kind)) {
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
    out.readings = await this.latest(source.id, params.series);
    return { ...out };
  }

  /** The newest point with a value of each series; a series without one is simply absent (the quality check names it). */
  private async latest(sourceId: string, series: string[]): Promise<SourceReading[]> {
    const read = await this.observations.series(sourceId, { seriesKeys: series, limit: 1 });
    return read.flatMap((s) => {
      const point = s.points[s.points.length - 1];
      return point && point.value !== null ? [{ series: s.seriesKey, value: point.value, ts: point.ts }] : [];
    });
  }
}

/**
 * The run's quality report for source readings. Blocking when the source is missing, or when its
 * gate policy is 'block' and either the pulled batch failed the gate or the source was down.
 * Missing series are reported but never block: they simply get no decision.
 */
export function assessSourceQuality(collected: SourceCollected, expected: string[]): QualityReport {
  const checks: QualityCheck[] = [];
  let blocking = false;
  const blocks = collected.gatePolicy === 'block';
  if (collected.missing) {
    checks.push({ name: 'source', ok: false, message: collected.missing });
    blocking = true;
  }
  if (collected.sourceError) {
    checks.push({ name: 'source-available', ok: false, message: `source ${collected.sourceId} is down: ${collected.sourceError}` });
    blocking ||= blocks;
  } else if (collected.pulled) {
    checks.push({ name: 'source-available', ok: true, message: `pulled batch ${collected.batch?.batchId} (${collected.batch?.rowsWritten} rows written)` });
  }
  for (const c of collected.sourceQuality?.checks ?? []) checks.push({ name: `source.${c.name}`, ok: c.ok, message: c.message });
  blocking ||= collected.sourceQuality?.blocking === true;
  const seen = new Set(collected.readings.map((r) => r.series));
  const missingSeries = expected.filter((s) => !seen.has(s));
  checks.push(
    { name: 'readings-present', ok: collected.readings.length > 0, message: `${collected.readings.length} reading(s) from source ${collected.sourceId}` },
    { name: 'expected-series', ok: missingSeries.length === 0, message: missingSeries.length ? `missing: ${missingSeries.join(', ')}` : 'all expected series present' },
  );
  const ok = checks.every((c) => c.ok);
  return { ok, blocking: blocking && !ok, checks };
}
