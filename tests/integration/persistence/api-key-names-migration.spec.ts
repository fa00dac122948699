/**
 * The unique-name migration on a database that already holds active keys sharing a name: the
 * oldest keeps the name, the others get a suffix, none is revoked, and the index then holds.
 */
import { ApiKeyNames1767200000000 } from '../../../libs/persistence/src/migrations/1767200000000-ApiKeyNames';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';

describe('api key names migration', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('keynames');
  });
  afterAll(() => db.drop());

  it('renames later active duplicates, leaves revoked ones alone, then refuses a new duplicate', async () => {
    const ds = await db.dataSource();
    const migration = new ApiKeyNames1767200000000();
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner);
      const insert = (name: string, at: string, revoked: boolean) => ds.query(
        `INSERT INTO api_keys (name, role, key_hash, key_prefix, created_at, revoked_at)
         VALUES ($1, 'viewer', md5(random()::text) || md5(random()::text), 'olk_x', $2, $3) RETURNING id`,
        [name, at, revoked ? at : null]);
      const [oldest] = await insert('ci', '2025-01-01T00:00:00Z', false);
      const [later] = await insert('ci', '2025-02-01T00:00:00Z', false);
      await insert('ci', '2024-12-01T00:00:00Z', true);
      await migration.up(runner);

      const rows: { id: string; name: string; revoked_at: Date | null }[] = await ds.query(`SELECT id, name, revoked_at FROM api_keys WHERE name LIKE 'ci%' ORDER BY created_at`);
      expect(rows.map((r) => [r.name, r.revoked_at === null])).toEqual([
        ['ci', false], ['ci', true], [`ci (${String(later.id).slice(0, 8)})`, true],
      ]);
      expect(rows[1]!.id).toBe(oldest.id);
      await expect(insert('ci', '2025-03-01T00:00:00Z', false)).rejects.toThrow(/uq_api_keys_active_name/);
    } finally {
      await runner.release();
    }
  });
});
