/**
 * Two database roles: the migration role owns the schema (tables, triggers), the apps' role only
 * reads and writes rows. An app that is compromised or buggy then cannot drop the append-only
 * triggers or rewrite history: it lacks UPDATE, DELETE and TRUNCATE on the history tables too.
 */
import { EntityManager } from 'typeorm';
import { APPEND_ONLY_TABLES } from './migrations/1767900000000-AppendOnly';
import { APPROVALS_APPEND_ONLY_TABLES } from './migrations/1768100000000-Approvals';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Idempotent; run by the owner after every migration, so new tables reach the app role too. */
export async function grantAppRole(owner: EntityManager, appRole: string): Promise<void> {
  const role = quoteIdent(appRole);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await owner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${[...APPEND_ONLY_TABLES, ...APPROVALS_APPEND_ONLY_TABLES].join(', ')} FROM ${role}`);
}

/** True when `role` owns any table of the schema: such a role could drop the triggers. */
export async function roleOwnsSchemaTables(m: EntityManager, role: string): Promise<boolean> {
  const rows = (await m.query(
    `SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1 LIMIT 1`, [role],
  )) as unknown[];
  return rows.length > 0;
}
