/**
 * Threshold-alert readings from a configured source: pull it now when it is a pull source (the
 * collector retries, records the batch and marks health), then read the newest stored point of
 * each configured series. The batch's quality report becomes the run's quality report, so the
 * source's gate policy decides whether a bad batch or a source that is down blocks the run.
 */
import { Injectable } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { FieldError } from '@opsloop/config';
import { ObservationReader } from '@opsloop/persistence';
import type { Json, QualityReport } from '../../loop-kind';
import { PulledSource, pullChecks, SourcePull } from '../../source-pull';

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
export interface SourceCollected extends PulledSource {
  source: 'source';
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
    private readonly pulls: SourcePull,
    private readonly observations: ObservationReader,
  ) {}

  async collect(params: SourceReadingParams, runId: string): Promise<Json> {
    const pulled = await this.pulls.pull(params.sourceId, params.pull !== false, runId);
    const readings = pulled.missing ? [] : await this.latest(params.sourceId, params.series);
    return { source: 'source', ...pulled, readings } satisfies SourceCollected;
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
  const { checks, blocking } = pullChecks(collected);
  const seen = new Set(collected.readings.map((r) => r.series));
  const missingSeries = expected.filter((s) => !seen.has(s));
  checks.push(
    { name: 'readings-present', ok: collected.readings.length > 0, message: `${collected.readings.length} reading(s) from source ${collected.sourceId}` },
    { name: 'expected-series', ok: missingSeries.length === 0, message: missingSeries.length ? `missing: ${missingSeries.join(', ')}` : 'all expected series present' },
  );
  const ok = checks.every((c) => c.ok);
  return { ok, blocking: blocking && !ok, checks };
}
