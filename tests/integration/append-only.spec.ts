/**
 * History is append-only in Postgres itself: the apps' role cannot change or remove a ledger
 * entry or a run step, nor switch the guard off; even the owner needs to drop a trigger first.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, TypeOrmLedgerRepository } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';

describe('append-only history tables', () => {
  let db: ScratchDatabase;
  let app: DataSource;
  let owner: DataSource;

  beforeAll(async () => {
    db = await createScratchDatabase('append_only');
    owner = await db.dataSource();
    app = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
    await new TypeOrmLedgerRepository(app).append({ entryKey: `decision:${randomUUID()}`, type: 'decision', body: { qty: 1 } });
  });
  afterAll(async () => {
    await app.destroy();
    await db.drop();
  });

  it('connects the apps as a role that does not own the schema', async () => {
    const [{ appRole }] = await app.query('SELECT current_user AS "appRole"');
    const owners = await app.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
    expect(owners.map((o: { tableowner: string }) => o.tableowner)).not.toContain(appRole);
  });

  it.each([
    ['UPDATE ledger_entries SET body = body'],
    ['DELETE FROM ledger_entries'],
    ['TRUNCATE ledger_entries'],
    ['UPDATE run_steps SET status = status'],
    ['DELETE FROM run_steps'],
    ['TRUNCATE run_steps'],
  ])('refuses "%s" from the apps\' connection', async (sql) => {
    await expect(app.query(sql)).rejects.toThrow(/permission denied/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the ledger even for the owner while the triggers stand', async () => {
    await expect(owner.query('UPDATE ledger_entries SET body = body')).rejects.toThrow(/ledger_entries is append-only: UPDATE refused/);
    await expect(owner.query('DELETE FROM ledger_entries')).rejects.toThrow(/ledger_entries is append-only: DELETE refused/);
    await expect(owner.query('TRUNCATE ledger_entries')).rejects.toThrow(/ledger_entries is append-only: TRUNCATE refused/);
    await expect(owner.query('TRUNCATE run_steps')).rejects.toThrow(/run_steps is append-only: TRUNCATE refused/);
    const [{ n }] = await owner.query('SELECT count(*)::int AS n FROM ledger_entries');
    expect(n).toBe(1);
  });

  it('does not let the apps\' role drop or disable the triggers', async () => {
    await expect(app.query('DROP TRIGGER ledger_entries_append_only ON ledger_entries')).rejects.toThrow(/must be owner/);
    await expect(app.query('ALTER TABLE ledger_entries DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(app.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
  });

  it('still lets the apps append', async () => {
    const ledger = new TypeOrmLedgerRepository(app);
    await ledger.append({ entryKey: `decision:${randomUUID()}`, type: 'decision', body: { qty: 2 } });
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 2 });
  });
});
