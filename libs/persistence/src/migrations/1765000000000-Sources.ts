import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data collection: sources with their schema, observations (the facts every loop and metric
 * reads), each ingest batch with its quality report, quarantined rows and source health.
 */
export class Sources1765000000000 implements MigrationInterface {
  name = 'Sources1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sources (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('push', 'postgres', 'http', 'csv')),
      schema jsonb NOT NULL,
      config jsonb NOT NULL DEFAULT '{}',
      -- AES-256-GCM sealed credentials; never returned by the API, never logged.
      secret_sealed text NULL,
      on_duplicate text NOT NULL DEFAULT 'skip' CHECK (on_duplicate IN ('skip', 'upsert')),
      partial_batches boolean NOT NULL DEFAULT true,
      gate_policy text NOT NULL DEFAULT 'warn' CHECK (gate_policy IN ('block', 'warn')),
      quality jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX ux_sources_name ON sources (name) WHERE deleted_at IS NULL`);

    await q.query(`CREATE TABLE source_batches (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      source_id uuid NOT NULL REFERENCES sources (id),
      origin text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'accepted', 'partial', 'rejected', 'failed')),
      rows_received int NOT NULL DEFAULT 0,
      rows_written int NOT NULL DEFAULT 0,
      rows_duplicate int NOT NULL DEFAULT 0,
      rows_quarantined int NOT NULL DEFAULT 0,
      quality jsonb NULL,
      error text NULL,
      run_id uuid NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz NULL
    )`);
    await q.query(`CREATE INDEX ix_source_batches_source ON source_batches (source_id, started_at DESC)`);

    // Keyed by the source's declared unique key, so a re-sent row is skipped or upserted.
    await q.query(`CREATE TABLE observations (
      source_id uuid NOT NULL REFERENCES sources (id),
      unique_key text NOT NULL,
      series_key text NOT NULL,
      dims jsonb NOT NULL DEFAULT '{}',
      ts timestamptz NOT NULL,
      value double precision NULL,
      record jsonb NOT NULL DEFAULT '{}',
      batch_id uuid NOT NULL,
      ingested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_id, unique_key)
    )`);
    await q.query(`CREATE INDEX ix_observations_series_ts ON observations (source_id, series_key, ts)`);
    // Incremental metric refresh reads what arrived since its last watermark.
    await q.query(`CREATE INDEX ix_observations_ingested ON observations (source_id, ingested_at)`);
    await q.query(`CREATE INDEX ix_observations_dims ON observations USING gin (dims jsonb_path_ops)`);

    await q.query(`CREATE TABLE quarantine (
      id bigserial PRIMARY KEY,
      source_id uuid NOT NULL REFERENCES sources (id),
      batch_id uuid NOT NULL REFERENCES source_batches (id),
      row_number int NULL,
      field text NULL,
      reason text NOT NULL,
      raw jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_quarantine_source ON quarantine (source_id, id DESC)`);

    await q.query(`CREATE TABLE source_health (
      source_id uuid PRIMARY KEY REFERENCES sources (id),
      healthy boolean NOT NULL DEFAULT true,
      last_success_at timestamptz NULL,
      last_error_at timestamptz NULL,
      last_error text NULL,
      consecutive_failures int NOT NULL DEFAULT 0,
      newest_ts timestamptz NULL,
      rows_total bigint NOT NULL DEFAULT 0,
      quarantined_total bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['source_health', 'quarantine', 'observations', 'source_batches', 'sources']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
