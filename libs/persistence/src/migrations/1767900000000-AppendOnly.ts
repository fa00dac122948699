import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History tables refuse change in the database itself, not only in the code that writes them:
 * the ledger, run steps, alert labels and metric versions take INSERT only. Row triggers refuse
 * UPDATE and DELETE, statement triggers refuse TRUNCATE. Only the tables' owner (the migration
 * role, never the apps' role when DATABASE_MIGRATION_URL is set) can drop or disable them.
 */
export const APPEND_ONLY_TABLES = ['ledger_entries', 'run_steps', 'alert_labels', 'metric_definitions'] as const;

export class AppendOnly1767900000000 implements MigrationInterface {
  name = 'AppendOnly1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION opsloop_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'history is corrected by appending a new row, never by changing one';
      END
    $$`);
    for (const table of APPEND_ONLY_TABLES) {
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION opsloop_append_only()`);
    }
    // alert_labels and metric_definitions already refuse row changes with their own triggers.
    for (const table of ['ledger_entries', 'run_steps']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION opsloop_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ledger_entries', 'run_steps']) await q.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    for (const table of APPEND_ONLY_TABLES) await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    await q.query(`DROP FUNCTION opsloop_append_only()`);
  }
}
