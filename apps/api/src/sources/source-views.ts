/**
 * Response mappers for sources: what a caller may see of a definition, its health, batches and
 * quarantine. Credentials never appear (only `hasSecret`), and personal fields in quarantined
 * input rows are replaced, since a quarantined row may never have reached masking.
 */
import { SourceDefinition } from '@opsloop/domain';
import { QuarantinedRow, SourceBatch, SourceHealthRecord } from '@opsloop/persistence';
import {
  BatchResponseDto, FreshnessDto, QuarantinedRowDto, QuarantinePageDto, SourceHealthResponseDto, SourceResponseDto,
} from './sources.dto';

export const PERSONAL_PLACEHOLDER = '[personal]';

export function toSourceResponse(s: SourceDefinition): SourceResponseDto {
  return {
    id: s.id, name: s.name, kind: s.kind, schema: s.schema, config: s.config, hasSecret: s.hasSecret, onDuplicate: s.onDuplicate,
    partialBatches: s.partialBatches, gatePolicy: s.gatePolicy, quality: s.quality, createdAt: s.createdAt, updatedAt: s.updatedAt,
  };
}

export function toBatchResponse(b: SourceBatch): BatchResponseDto {
  return {
    id: b.id, origin: b.origin, status: b.status, rowsReceived: b.rowsReceived, rowsWritten: b.rowsWritten,
    rowsDuplicate: b.rowsDuplicate, rowsQuarantined: b.rowsQuarantined, quality: b.quality, error: b.error, runId: b.runId,
    startedAt: b.startedAt, finishedAt: b.finishedAt,
  };
}

export function toHealthResponse(source: SourceDefinition, h: SourceHealthRecord, now: Date): SourceHealthResponseDto {
  return {
    sourceId: source.id, healthy: h.healthy, lastSuccessAt: h.lastSuccessAt, lastErrorAt: h.lastErrorAt, lastError: h.lastError,
    consecutiveFailures: h.consecutiveFailures, newestTs: h.newestTs, freshness: freshness(h.newestTs, source.quality.expectedCadenceSeconds, now),
    rowsTotal: h.rowsTotal, quarantinedTotal: h.quarantinedTotal, lastBatch: h.lastBatch && toBatchResponse(h.lastBatch),
  };
}

/**
 * Fresh when the newest observation is at most one cadence old. Without a declared cadence there
 * is nothing to judge against (null); with one but no data yet, the source is not fresh.
 */
export function freshness(newestTs: string | null, cadence: number | undefined, now: Date): FreshnessDto {
  const ageSeconds = newestTs === null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(newestTs)) / 1000));
  const expectedCadenceSeconds = cadence ?? null;
  const fresh = expectedCadenceSeconds === null ? null : ageSeconds !== null && ageSeconds <= expectedCadenceSeconds;
  return { ageSeconds, expectedCadenceSeconds, fresh };
}

export function toQuarantinePage(source: SourceDefinition, page: { rows: QuarantinedRow[]; nextBefore: number | null }): QuarantinePageDto {
  const personal = personalKeys(source);
  return {
    rows: page.rows.map((r): QuarantinedRowDto => ({
      id: r.id, batchId: r.batchId, row: r.row, field: r.field, reason: r.reason, raw: hidePersonal(r.raw, personal), createdAt: r.createdAt,
    })),
    nextBefore: page.nextBefore,
  };
}

/**
 * Names under which a personal value can appear in a raw input row: the schema name, a CSV header
 * mapped onto it (config.headerMap) and the last segment of an HTTP item path (config.fieldMap).
 */
export function personalKeys(source: SourceDefinition): Set<string> {
  const names = new Set(source.schema.fields.filter((f) => f.personal).map((f) => f.name));
  const keys = new Set(names);
  const headerMap = asStringMap(source.config.headerMap);
  for (const [header, field] of Object.entries(headerMap)) if (names.has(field)) keys.add(header);
  const fieldMap = asStringMap(source.config.fieldMap);
  for (const [field, path] of Object.entries(fieldMap)) if (names.has(field)) keys.add(path.split('.').pop()!);
  return keys;
}

export function hidePersonal(raw: unknown, keys: Set<string>): unknown {
  if (keys.size === 0 || raw === null || typeof raw !== 'object') return raw;
  if (Array.isArray(raw)) return raw.map((v) => hidePersonal(v, keys));
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) =>
    [k, keys.has(k) && v !== null && v !== undefined ? PERSONAL_PLACEHOLDER : hidePersonal(v, keys)]));
}

function asStringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
