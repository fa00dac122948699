import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One effect per business intent. A decision keeps the intent key its kind derived; the effect
 * row of an intent is unique, so of two runs deciding the same intent only one can hold it and
 * send, and the other is recorded as its duplicate. An effect row can now be `failed` (its
 * decision gave up: a later decision for the intent may send it again, under the same key), and
 * knows when it goes stale, so a sweep finds rows left `sending` by a crash. Rows left sending
 * before this migration are stale from the start.
 */
export class ActionIntents1768400000000 implements MigrationInterface {
  name = 'ActionIntents1768400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE decisions ADD COLUMN intent_key text NULL, ADD COLUMN duplicate_of uuid NULL REFERENCES decisions (id)`);
    await q.query(`ALTER TABLE action_effects
      ADD COLUMN intent_key text NULL,
      ADD COLUMN last_attempt_at timestamptz NULL,
      ADD COLUMN stale_at timestamptz NULL,
      ADD COLUMN sweeps int NOT NULL DEFAULT 0,
      ADD COLUMN failure text NULL,
      ADD CONSTRAINT action_effects_intent_key_unique UNIQUE (intent_key)`);
    await q.query(`ALTER TABLE action_effects DROP CONSTRAINT action_effects_status_check`);
    await q.query(`ALTER TABLE action_effects ADD CONSTRAINT action_effects_status_check CHECK (status IN ('sending', 'confirmed', 'failed'))`);
    await q.query(`UPDATE action_effects SET last_attempt_at = first_attempt_at, stale_at = first_attempt_at WHERE status = 'sending'`);
    await q.query(`CREATE INDEX action_effects_stale ON action_effects (stale_at) WHERE status = 'sending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX action_effects_stale`);
    await q.query(`UPDATE action_effects SET status = 'sending' WHERE status = 'failed'`);
    await q.query(`ALTER TABLE action_effects DROP CONSTRAINT action_effects_status_check`);
    await q.query(`ALTER TABLE action_effects ADD CONSTRAINT action_effects_status_check CHECK (status IN ('sending', 'confirmed'))`);
    await q.query(`ALTER TABLE action_effects DROP CONSTRAINT action_effects_intent_key_unique,
      DROP COLUMN failure, DROP COLUMN sweeps, DROP COLUMN stale_at, DROP COLUMN last_attempt_at, DROP COLUMN intent_key`);
    await q.query(`ALTER TABLE decisions DROP COLUMN duplicate_of, DROP COLUMN intent_key`);
  }
}
