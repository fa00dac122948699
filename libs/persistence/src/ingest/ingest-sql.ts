/**
 * The SQL of one ingest batch: a private staging table filled by COPY, then set-based moves
 * into observations (skip or upsert on the unique key) and quarantine, the batch record and the
 * source health row. Statements only; the transaction is driven by TypeOrmObservationIngest.
 */
import type { OnDuplicate } from '@opsloop/domain';
import { STAGE_COLUMNS } from './copy-lines';

export const STAGE_TABLE = 'ingest_stage';

/** Temporary (no WAL, private to the connection) and dropped with the transaction. */
export const CREATE_STAGE = `CREATE TEMP TABLE ${STAGE_TABLE} (
  kind "char" NOT NULL, row_no int NOT NULL, unique_key text, series_key text, dims jsonb, ts timestamptz,
  value double precision, record jsonb, field text, reason text
) ON COMMIT DROP`;

export const COPY_STAGE = `COPY ${STAGE_TABLE} (${STAGE_COLUMNS.join(', ')}) FROM STDIN`;

/** Valid rows repeating a unique key already seen in the batch (a hash aggregate, not a sort). */
export const IN_BATCH_REPEATS = `SELECT coalesce(sum(n - 1), 0)::bigint AS repeats
  FROM (SELECT count(*) AS n FROM ${STAGE_TABLE} WHERE kind = 'o' GROUP BY unique_key) g WHERE n > 1`;

const TARGET = `observations (source_id, unique_key, series_key, dims, ts, value, record, batch_id)`;

/**
 * skip: the stored row stays and, inside the batch, the first row of a key wins. upsert: the last
 * row of a key wins and only a changed row is rewritten, so re-sending identical data writes
 * nothing. Rows go in unique-key order: the primary key index then grows at its right edge
 * instead of taking a random page per row, which at a million rows costs a third less than
 * input order (see bench/RESULTS.md). $1 source id, $2 batch id.
 */
export function moveObservations(onDuplicate: OnDuplicate, repeatsInBatch: boolean): string {
  const columns = `$1::uuid, unique_key, series_key, dims, ts, value, record, $2::uuid`;
  if (onDuplicate === 'skip') {
    return `INSERT INTO ${TARGET}
      SELECT ${columns} FROM ${STAGE_TABLE} WHERE kind = 'o' ORDER BY unique_key, row_no
      ON CONFLICT (source_id, unique_key) DO NOTHING`;
  }
  const rows = repeatsInBatch
    ? `SELECT DISTINCT ON (unique_key) ${columns} FROM ${STAGE_TABLE} WHERE kind = 'o' ORDER BY unique_key, row_no DESC`
    : `SELECT ${columns} FROM ${STAGE_TABLE} WHERE kind = 'o' ORDER BY unique_key`;
  return `WITH written AS (
      INSERT INTO ${TARGET} ${rows}
      ON CONFLICT (source_id, unique_key) DO UPDATE SET series_key = EXCLUDED.series_key, dims = EXCLUDED.dims,
        ts = EXCLUDED.ts, value = EXCLUDED.value, record = EXCLUDED.record, batch_id = EXCLUDED.batch_id, ingested_at = now()
      WHERE (observations.series_key, observations.dims, observations.ts, observations.value, observations.record)
        IS DISTINCT FROM (EXCLUDED.series_key, EXCLUDED.dims, EXCLUDED.ts, EXCLUDED.value, EXCLUDED.record)
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::bigint AS inserted, count(*) FILTER (WHERE NOT inserted)::bigint AS updated FROM written`;
}

/** $1 source id, $2 batch id. */
export const MOVE_QUARANTINE = `INSERT INTO quarantine (source_id, batch_id, row_number, field, reason, raw)
  SELECT $1::uuid, $2::uuid, row_no, field, reason, record FROM ${STAGE_TABLE} WHERE kind = 'q' ORDER BY row_no`;

export const INSERT_BATCH = `INSERT INTO source_batches
  (id, source_id, origin, status, rows_received, rows_written, rows_duplicate, rows_quarantined, quality, error, run_id, started_at, finished_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())`;

export const STORED_NEWEST = `SELECT newest_ts FROM source_health WHERE source_id = $1`;

/** A batch that stored rows: the source works. $1 source, $2 newest ts, $3 rows written, $4 quarantined. */
export const HEALTH_AFTER_SUCCESS = `INSERT INTO source_health AS h
    (source_id, healthy, last_success_at, consecutive_failures, newest_ts, rows_total, quarantined_total, updated_at)
  VALUES ($1, true, now(), 0, $2, $3, $4, now())
  ON CONFLICT (source_id) DO UPDATE SET healthy = true, last_success_at = now(), consecutive_failures = 0,
    newest_ts = GREATEST(h.newest_ts, EXCLUDED.newest_ts), rows_total = h.rows_total + EXCLUDED.rows_total,
    quarantined_total = h.quarantined_total + EXCLUDED.quarantined_total, updated_at = now()`;

/**
 * A rejected batch: the sender's data was bad, the source itself is not down, so `healthy` and
 * the failure streak stay. $1 source, $2 quarantined, $3 error.
 */
export const HEALTH_AFTER_REJECTION = `INSERT INTO source_health AS h (source_id, quarantined_total, last_error_at, last_error, updated_at)
  VALUES ($1, $2, now(), $3, now())
  ON CONFLICT (source_id) DO UPDATE SET quarantined_total = h.quarantined_total + EXCLUDED.quarantined_total,
    last_error_at = now(), last_error = EXCLUDED.last_error, updated_at = now()`;

/** The source could not be read at all. $1 source, $2 error. */
export const HEALTH_AFTER_FAILURE = `INSERT INTO source_health AS h (source_id, healthy, last_error_at, last_error, consecutive_failures, updated_at)
  VALUES ($1, false, now(), $2, 1, now())
  ON CONFLICT (source_id) DO UPDATE SET healthy = false, last_error_at = now(), last_error = EXCLUDED.last_error,
    consecutive_failures = h.consecutive_failures + 1, updated_at = now()`;
