import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs that ride out outages: each loop says how long a stage may keep retrying (its stage
 * deadline, one hour unless set), and a stage attempt that ended without finishing (worker lost,
 * timeout, Postgres unreachable) is closed in the run's timeline by an `abandoned` row.
 */
export class Durability1768600000000 implements MigrationInterface {
  name = 'Durability1768600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loops ADD COLUMN stage_deadline_seconds int NOT NULL DEFAULT 3600
      CONSTRAINT loops_stage_deadline_seconds_check CHECK (stage_deadline_seconds BETWEEN 60 AND 604800)`);
    await q.query(`ALTER TABLE run_steps DROP CONSTRAINT run_steps_status_check`);
    await q.query(`ALTER TABLE run_steps ADD CONSTRAINT run_steps_status_check
      CHECK (status IN ('started', 'completed', 'failed', 'skipped', 'abandoned'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_steps DROP CONSTRAINT run_steps_status_check`);
    await q.query(`ALTER TABLE run_steps ADD CONSTRAINT run_steps_status_check CHECK (status IN ('started', 'completed', 'failed', 'skipped')) NOT VALID`);
    await q.query(`ALTER TABLE loops DROP COLUMN stage_deadline_seconds`);
  }
}
