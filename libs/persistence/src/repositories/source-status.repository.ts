/**
 * Read side of a source's life: its health row, its ingest batches and its quarantined rows.
 * The ingest pipeline and the collector write these tables; this port only reads them.
 */
import { DataSource } from 'typeorm';
import { iso, isoOrNull } from './sql-rows';

export type SourceBatchStatus = 'running' | 'accepted' | 'partial' | 'rejected' | 'failed';

export interface SourceBatch {
  id: string;
  sourceId: string;
  origin: string;
  status: SourceBatchStatus;
  rowsReceived: number;
  rowsWritten: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  /** The quality report of the batch (SourceQualityReport), null while running or on failure. */
  quality: Record<string, unknown> | null;
  error: string | null;
  runId: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface SourceHealthRecord {
  /** False when the source has no health row yet (nothing collected or pushed). */
  recorded: boolean;
  healthy: boolean;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  newestTs: string | null;
  rowsTotal: number;
  quarantinedTotal: number;
  lastBatch: SourceBatch | null;
}

export interface QuarantinedRow {
  id: number;
  batchId: string;
  row: number | null;
  field: string | null;
  reason: string;
  raw: unknown;
  createdAt: string;
}

export interface QuarantineQuery {
  batchId?: string;
  /** Only rows with an id below this one: pass the previous page's `nextBefore`. */
  before?: number;
  limit: number;
}

export interface BatchQuery {
  status?: SourceBatchStatus;
  limit: number;
  offset: number;
}

export abstract class SourceStatusRepository {
  abstract health(sourceId: string): Promise<SourceHealthRecord>;
  abstract batches(sourceId: string, q: BatchQuery): Promise<SourceBatch[]>;
  abstract batch(sourceId: string, batchId: string): Promise<SourceBatch | null>;
  /** Newest first; `nextBefore` is null when this page reached the oldest row. */
  abstract quarantine(sourceId: string, q: QuarantineQuery): Promise<{ rows: QuarantinedRow[]; nextBefore: number | null }>;
}

interface BatchRow {
  id: string; source_id: string; origin: string; status: SourceBatchStatus; rows_received: number; rows_written: number;
  rows_duplicate: number; rows_quarantined: number; quality: Record<string, unknown> | null; error: string | null;
  run_id: string | null; started_at: Date; finished_at: Date | null;
}

interface HealthRow {
  healthy: boolean; last_success_at: Date | null; last_error_at: Date | null; last_error: string | null;
  consecutive_failures: number; newest_ts: Date | null; rows_total: string; quarantined_total: string;
}

interface QuarantineRow {
  id: string; batch_id: string; row_number: number | null; field: string | null; reason: string; raw: unknown; created_at: Date;
}

function toBatch(r: BatchRow): SourceBatch {
  return {
    id: r.id, sourceId: r.source_id, origin: r.origin, status: r.status, rowsReceived: r.rows_received, rowsWritten: r.rows_written,
    rowsDuplicate: r.rows_duplicate, rowsQuarantined: r.rows_quarantined, quality: r.quality, error: r.error, runId: r.run_id,
    startedAt: iso(r.started_at), finishedAt: isoOrNull(r.finished_at),
  };
}

function toQuarantined(r: QuarantineRow): QuarantinedRow {
  return {
    id: Number(r.id), batchId: r.batch_id, row: r.row_number, field: r.field, reason: r.reason, raw: r.raw, createdAt: iso(r.created_at),
  };
}

const NO_HEALTH: Omit<SourceHealthRecord, 'lastBatch'> = {
  recorded: false, healthy: true, lastSuccessAt: null, lastErrorAt: null, lastError: null, consecutiveFailures: 0,
  newestTs: null, rowsTotal: 0, quarantinedTotal: 0,
};

export class TypeOrmSourceStatusRepository extends SourceStatusRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async health(sourceId: string): Promise<SourceHealthRecord> {
    const [rows, last]: [HealthRow[], SourceBatch[]] = await Promise.all([
      this.ds.query(`SELECT * FROM source_health WHERE source_id = $1`, [sourceId]),
      this.batches(sourceId, { limit: 1, offset: 0 }),
    ]);
    const h = rows[0];
    const lastBatch = last[0] ?? null;
    if (!h) return { ...NO_HEALTH, lastBatch };
    return {
      recorded: true, healthy: h.healthy, lastSuccessAt: isoOrNull(h.last_success_at), lastErrorAt: isoOrNull(h.last_error_at),
      lastError: h.last_error, consecutiveFailures: h.consecutive_failures, newestTs: isoOrNull(h.newest_ts),
      // bigint counters arrive as strings; a source's row count stays far below 2^53.
      rowsTotal: Number(h.rows_total), quarantinedTotal: Number(h.quarantined_total), lastBatch,
    };
  }

  async batches(sourceId: string, q: BatchQuery): Promise<SourceBatch[]> {
    const rows: BatchRow[] = await this.ds.query(
      `SELECT * FROM source_batches WHERE source_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY started_at DESC, id DESC LIMIT $3 OFFSET $4`,
      [sourceId, q.status ?? null, q.limit, q.offset],
    );
    return rows.map(toBatch);
  }

  async batch(sourceId: string, batchId: string): Promise<SourceBatch | null> {
    const rows: BatchRow[] = await this.ds.query(`SELECT * FROM source_batches WHERE source_id = $1 AND id = $2`, [sourceId, batchId]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  async quarantine(sourceId: string, q: QuarantineQuery): Promise<{ rows: QuarantinedRow[]; nextBefore: number | null }> {
    // One row more than asked tells whether an older page exists.
    const rows: QuarantineRow[] = await this.ds.query(
      `SELECT id, batch_id, row_number, field, reason, raw, created_at FROM quarantine
       WHERE source_id = $1 AND ($2::uuid IS NULL OR batch_id = $2) AND ($3::bigint IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [sourceId, q.batchId ?? null, q.before ?? null, q.limit + 1],
    );
    const page = rows.slice(0, q.limit).map(toQuarantined);
    return { rows: page, nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }
}
