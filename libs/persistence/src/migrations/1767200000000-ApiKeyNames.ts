import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Active API keys have unique names, so a name in a list or an audit line points at one key.
 * Revoked keys keep theirs and do not block reuse: a replacement key may take the old name.
 * Active duplicates from before this migration keep the oldest key's name; the later ones get
 * their id's first characters appended, so nothing is revoked or lost.
 */
export class ApiKeyNames1767200000000 implements MigrationInterface {
  name = 'ApiKeyNames1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE api_keys k SET name = k.name || ' (' || left(k.id::text, 8) || ')'
      FROM (SELECT id, row_number() OVER (PARTITION BY name ORDER BY created_at, id) AS nth FROM api_keys WHERE revoked_at IS NULL) d
      WHERE d.id = k.id AND d.nth > 1`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_api_keys_active_name`);
  }
}
