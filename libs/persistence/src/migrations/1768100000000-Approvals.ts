import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approvals given through the API: who (key id, name and role at the time), which decision of
 * which run, the verdict and the reason. The run's workflow applies an approval only when it finds
 * its row here, so a verdict sent straight to Temporal has nothing to point at. Append-only: a
 * row is evidence, so triggers refuse UPDATE, DELETE and TRUNCATE, and the app role loses those
 * rights on it (grantAppRole).
 */
export const APPROVALS_APPEND_ONLY_TABLES = ['approvals'] as const;

export class Approvals1768100000000 implements MigrationInterface {
  name = 'Approvals1768100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE approvals (
      id uuid PRIMARY KEY,
      batch_id uuid NULL,
      decision_id uuid NOT NULL REFERENCES decisions (id),
      run_id uuid NOT NULL REFERENCES loop_runs (id),
      loop_id uuid NOT NULL REFERENCES loops (id),
      key_id uuid NOT NULL REFERENCES api_keys (id),
      key_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      verdict text NOT NULL CHECK (verdict IN ('approve', 'reject')),
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_approvals_batch ON approvals (batch_id) WHERE batch_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_approvals_decision ON approvals (decision_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_approvals_run ON approvals (run_id, created_at DESC)`);
    // The trigger function of the AppendOnly migration: UPDATE, DELETE and TRUNCATE are refused.
    await q.query(`CREATE TRIGGER approvals_append_only BEFORE UPDATE OR DELETE ON approvals FOR EACH ROW EXECUTE FUNCTION opsloop_append_only()`);
    await q.query(`CREATE TRIGGER approvals_no_truncate BEFORE TRUNCATE ON approvals FOR EACH STATEMENT EXECUTE FUNCTION opsloop_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE approvals`);
  }
}
