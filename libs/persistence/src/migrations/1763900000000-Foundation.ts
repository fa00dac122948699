import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      key_hash char(64) NOT NULL,
      key_prefix text NOT NULL,
      is_bootstrap boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_hash ON api_keys (key_hash)`);
    // At most one bootstrap key: the one derived from OPSLOOP_ADMIN_KEY.
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_bootstrap ON api_keys (is_bootstrap) WHERE is_bootstrap`);
    await q.query(`CREATE TABLE round_trips (
      id uuid PRIMARY KEY,
      message text NOT NULL,
      workflow_id text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE round_trips`);
    await q.query(`DROP TABLE api_keys`);
  }
}
