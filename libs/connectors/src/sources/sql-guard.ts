/**
 * A static screen for postgres source queries, in front of the real guard (the READ ONLY
 * transaction, which Postgres enforces). It refuses statements that are not reads (with a clearer
 * message than the syntax error the subquery wrapping would give) and calls to functions that act outside the
 * transaction, which READ ONLY does not stop: ending other sessions, advisory locks, dblink,
 * server files and config reloads. It cannot be complete; a SELECT-only role is still advised.
 */
const OUTSIDE_EFFECT_FUNCTIONS = [
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_promote',
  'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock', 'pg_try_advisory_lock_shared',
  'pg_advisory_unlock', 'pg_advisory_unlock_all', 'pg_notify', 'set_config',
  'dblink', 'dblink_exec', 'dblink_connect', 'dblink_send_query',
  'lo_import', 'lo_export', 'pg_file_write', 'pg_file_rename', 'pg_file_unlink',
  'pg_create_restore_point', 'pg_switch_wal', 'pg_create_logical_replication_slot', 'pg_create_physical_replication_slot', 'pg_drop_replication_slot',
];

const CALL = new RegExp(`(?<![A-Za-z0-9_$])"?(${OUTSIDE_EFFECT_FUNCTIONS.join('|')})"?\\s*\\(`, 'i');

/** The first function the query calls that has effects outside its transaction, or null. */
export function outsideEffectCall(query: string): string | null {
  const m = CALL.exec(query);
  return m ? m[1]!.toLowerCase() : null;
}

/** The query text ready to wrap in a subquery: trailing semicolons and blanks removed. */
export function unterminated(query: string): string {
  return query.replace(/[\s;]+$/, '');
}

const READING_STATEMENTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);

/** The statement's first keyword, after comments and opening parentheses; '' when there is none. */
export function leadingKeyword(query: string): string {
  const rest = query.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/, '');
  return (/^[A-Za-z]+/.exec(rest)?.[0] ?? '').toUpperCase();
}

/** Why the query is not a reading statement, or null: a source query is a SELECT, WITH, VALUES or TABLE. */
export function notAReadingQuery(query: string): string | null {
  const keyword = leadingKeyword(query);
  if (READING_STATEMENTS.has(keyword)) return null;
  return `postgres sources only read: the query must be a SELECT (or WITH, VALUES, TABLE), not ${keyword || 'empty'}`;
}
