import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The loop engine: instances, runs with append-only steps, decisions (working state), the
 * hash-chained ledger (audit copy) and the action effects that enforce idempotency keys.
 */
export class Engine1764000000000 implements MigrationInterface {
  name = 'Engine1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE loops (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      policy_version text NOT NULL,
      params jsonb NOT NULL,
      params_version int NOT NULL DEFAULT 1,
      mode text NOT NULL CHECK (mode IN ('live', 'shadow', 'dry-run')),
      trigger jsonb NOT NULL,
      overlap text NOT NULL,
      approval jsonb NOT NULL,
      action_target jsonb NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL
    )`);
    await q.query(`CREATE INDEX ix_loops_kind ON loops (kind) WHERE deleted_at IS NULL`);

    await q.query(`CREATE TABLE loop_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id text NOT NULL UNIQUE,
      loop_id uuid NOT NULL REFERENCES loops (id),
      kind text NOT NULL,
      mode text NOT NULL,
      trigger text NOT NULL,
      policy_version text NOT NULL,
      params jsonb NOT NULL,
      params_version int NOT NULL,
      approval jsonb NOT NULL,
      action_target jsonb NOT NULL,
      event jsonb NULL,
      status text NOT NULL,
      error text NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz NULL
    )`);
    await q.query(`CREATE INDEX ix_loop_runs_loop_started ON loop_runs (loop_id, started_at DESC)`);
    await q.query(`CREATE INDEX ix_loop_runs_status_started ON loop_runs (status, started_at DESC)`);

    // Append-only: a stage transition is a new row, never an update.
    await q.query(`CREATE TABLE run_steps (
      id bigserial PRIMARY KEY,
      run_id uuid NOT NULL REFERENCES loop_runs (id),
      stage text NOT NULL,
      status text NOT NULL CHECK (status IN ('started', 'completed', 'failed', 'skipped')),
      attempt int NOT NULL DEFAULT 1,
      duration_ms int NULL,
      error text NULL,
      detail jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    await q.query(`CREATE INDEX ix_run_steps_run_created ON run_steps (run_id, created_at DESC)`);

    // What a stage produced, so Temporal history carries ids and not bulk data.
    await q.query(`CREATE TABLE run_artifacts (
      run_id uuid NOT NULL REFERENCES loop_runs (id),
      stage text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, stage)
    )`);

    await q.query(`CREATE TABLE decisions (
      id uuid PRIMARY KEY,
      run_id uuid NOT NULL REFERENCES loop_runs (id),
      loop_id uuid NOT NULL REFERENCES loops (id),
      seq int NOT NULL,
      subject text NOT NULL,
      decision text NOT NULL,
      magnitude double precision NOT NULL,
      explanation text NOT NULL,
      inputs jsonb NOT NULL,
      action jsonb NULL,
      approval_status text NOT NULL,
      approval_by text NULL,
      approval_at timestamptz NULL,
      approval_reason text NULL,
      action_status text NOT NULL,
      action_result jsonb NULL,
      outcome jsonb NULL,
      score double precision NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (run_id, seq)
    )`);
    await q.query(`CREATE INDEX ix_decisions_loop_created ON decisions (loop_id, created_at DESC)`);

    await q.query(`CREATE TABLE ledger_entries (
      seq bigint PRIMARY KEY,
      entry_key text NOT NULL UNIQUE,
      entry_type text NOT NULL,
      loop_id uuid NULL,
      run_id uuid NULL,
      decision_id uuid NULL,
      body jsonb NOT NULL,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_ledger_decision ON ledger_entries (decision_id, seq)`);
    await q.query(`CREATE INDEX ix_ledger_loop ON ledger_entries (loop_id, seq DESC)`);
    await q.query(`CREATE INDEX ix_ledger_run ON ledger_entries (run_id, seq)`);
    // One row that appenders lock, so the chain grows one link at a time.
    await q.query(`CREATE TABLE ledger_head (
      id int PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      hash char(64) NOT NULL
    )`);
    await q.query(`INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, repeat('0', 64))`);

    await q.query(`CREATE TABLE action_effects (
      idempotency_key text PRIMARY KEY,
      decision_id uuid NOT NULL REFERENCES decisions (id),
      target text NOT NULL,
      status text NOT NULL CHECK (status IN ('sending', 'confirmed')),
      attempts int NOT NULL DEFAULT 0,
      response jsonb NULL,
      first_attempt_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['action_effects', 'ledger_head', 'ledger_entries', 'decisions', 'run_artifacts', 'run_steps', 'loop_runs', 'loops']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
