import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The metric center: immutable, versioned definitions; their values per grain bucket and
 * dimension group; and, per definition version and source, how far the values are refreshed.
 */
export class Metrics1766500000000 implements MigrationInterface {
  name = 'Metrics1766500000000';

  async up(q: QueryRunner): Promise<void> {
    // An edit inserts version N+1; a row is never changed, so past decisions stay explainable.
    await q.query(`CREATE TABLE metric_definitions (
      key text NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      PRIMARY KEY (key, version)
    )`);
    await q.query(`CREATE INDEX ix_metric_definitions_created ON metric_definitions (key, created_at DESC)`);
    await q.query(`CREATE FUNCTION metric_definitions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'metric definitions are immutable: add a version instead';
      END $$`);
    await q.query(`CREATE TRIGGER tr_metric_definitions_immutable BEFORE UPDATE OR DELETE ON metric_definitions
      FOR EACH ROW EXECUTE FUNCTION metric_definitions_immutable()`);

    // One row per bucket and dimension group; dim_set names the grouped dimensions ('{}' = totals)
    // and dims their values, so every group-by subset of the allowed dimensions is stored.
    await q.query(`CREATE TABLE metric_values (
      key text NOT NULL,
      version int NOT NULL,
      bucket timestamptz NOT NULL,
      dim_set text[] NOT NULL,
      dims jsonb NOT NULL,
      dims_key text NOT NULL,
      value double precision NULL,
      null_reason text NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (key, version, bucket, dims_key),
      FOREIGN KEY (key, version) REFERENCES metric_definitions (key, version)
    )`);
    await q.query(`CREATE INDEX ix_metric_values_read ON metric_values (key, version, dim_set, bucket)`);

    // watermark: observations of the source ingested at or before it are reflected in the values
    // (NULL: never computed, the next refresh computes everything).
    await q.query(`CREATE TABLE metric_refresh (
      key text NOT NULL,
      version int NOT NULL,
      source_id uuid NOT NULL REFERENCES sources (id),
      watermark timestamptz NULL,
      refreshed_at timestamptz NULL,
      PRIMARY KEY (key, version, source_id),
      FOREIGN KEY (key, version) REFERENCES metric_definitions (key, version)
    )`);
    await q.query(`CREATE INDEX ix_metric_refresh_source ON metric_refresh (source_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS metric_refresh`);
    await q.query(`DROP TABLE IF EXISTS metric_values`);
    await q.query(`DROP TABLE IF EXISTS metric_definitions`);
    await q.query(`DROP FUNCTION IF EXISTS metric_definitions_immutable()`);
  }
}
