import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a run finished acting and when its outcome is due, so the runs API can say why a run is
 * still `measuring` after its Temporal workflow has completed. Runs that acted before this
 * migration get `acted_at` from their `act` step; their due time is not known to SQL (it comes
 * from the kind's outcome window), so the API derives it for them.
 */
export class RunPhases1767100000000 implements MigrationInterface {
  name = 'RunPhases1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loop_runs ADD COLUMN acted_at timestamptz NULL, ADD COLUMN outcome_due_at timestamptz NULL`);
    await q.query(`UPDATE loop_runs r SET acted_at = s.first_at
      FROM (SELECT run_id, min(created_at) AS first_at FROM run_steps WHERE stage = 'act' GROUP BY run_id) s
      WHERE s.run_id = r.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loop_runs DROP COLUMN outcome_due_at, DROP COLUMN acted_at`);
  }
}
