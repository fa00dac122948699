/**
 * Pulls rows from an outside Postgres with the source's parameterised query, read-only.
 *
 * Guards, in order: the host must pass the outbound allow-list and may not be opsloop's own
 * database (postgres-target, checked at every pull); the query must not call a function with
 * effects outside its transaction (sql-guard); it runs inside `BEGIN READ ONLY` (Postgres itself refuses INSERT/UPDATE/DDL,
 * nextval() and functions that write) with `SET LOCAL statement_timeout`; it is wrapped as a
 * subquery of a cursor with `LIMIT rowLimit + 1` and a bound parameter, so it always goes
 * through the extended protocol (one statement only, nothing can COMMIT the read-only
 * transaction away) and may not be a data-modifying statement. The transaction always ends in
 * ROLLBACK and the connection is closed.
 *
 * Row limit: more than `rowLimit` rows fail the pull ("row limit N exceeded"); cutting the set
 * off would store a partial picture as if it were complete.
 *
 * Errors never carry the connection string or its password.
 */
import { Client, types as pgTypes } from 'pg';
import type { SourceDefinition } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import { describeError, PullSource, SourcePullError } from './pull-source';
import { OutboundRefusedError } from '../http/allowed-hosts';
import { PostgresTargetPolicy } from './postgres-target';
import { parseSourceConfig, PostgresSourceConfig } from './source-config';
import { notAReadingQuery, outsideEffectCall, unterminated } from './sql-guard';

const FETCH_ROWS = 1000;
const CURSOR = 'opsloop_pull';
/** date, timestamp, timestamptz: kept as Postgres prints them, so no local-time Date conversion shifts them. */
const TEXT_TYPES = new Set([1082, 1114, 1184]);
const CLIENT_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (TEXT_TYPES.has(oid) ? (v: string) => v : pgTypes.getTypeParser(oid, format as 'text'))) as typeof pgTypes.getTypeParser,
};

/** SQLSTATE classes that say "the database is not reachable or busy": worth another attempt. */
const RETRYABLE_CODES = /^(08|53|57P0[1-3])/;

export interface PostgresSourceOptions {
  connectTimeoutMs?: number;
}

export class PostgresSource implements PullSource {
  constructor(
    private readonly targets: PostgresTargetPolicy,
    private readonly options: PostgresSourceOptions = {},
  ) {}

  async *pull(source: SourceDefinition, secret: Record<string, unknown> | null, signal?: AbortSignal): AsyncIterable<RawRow> {
    const config = parseSourceConfig('postgres', source.config);
    const connectionString = secret?.['connectionString'];
    if (typeof connectionString !== 'string' || connectionString === '') {
      throw new SourcePullError('postgres source has no secret.connectionString', false);
    }
    const notRead = notAReadingQuery(config.query);
    if (notRead) throw new SourcePullError(`query refused: ${notRead}`, false);
    const forbidden = outsideEffectCall(config.query);
    if (forbidden) throw new SourcePullError(`query refused: it calls ${forbidden}(), which has effects outside a read-only transaction`, false);
    const scrub = scrubber(connectionString);
    await this.assertTarget(connectionString, scrub);
    const client = new Client({
      connectionString, types: CLIENT_TYPES, application_name: 'opsloop-source',
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      // A backstop in case the server never answers; the server-side statement_timeout speaks first.
      query_timeout: config.statementTimeoutMs + 5_000,
    });
    // An error on an idle client (server restart) must not crash the process; the next query reports it.
    client.on('error', () => undefined);
    try {
      await connect(client, scrub);
      yield* readRows(client, config, signal);
    } catch (err) {
      throw err instanceof SourcePullError ? err : translate(err, config, scrub);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  /** Checked at every pull, not only when the source was stored: the allow-list may have changed since. */
  private async assertTarget(connectionString: string, scrub: (s: string) => string): Promise<void> {
    try {
      await this.targets.assertAllowed(connectionString);
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new SourcePullError(scrub(err.message), false);
      throw new SourcePullError(`cannot check the source database's host: ${scrub(describeError(err))}`, true);
    }
  }
}

async function connect(client: Client, scrub: (s: string) => string): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const retryable = !code.startsWith('28') && code !== '3D000';
    throw new SourcePullError(`cannot connect to the source database: ${scrub(describeError(err))}`, retryable);
  }
}

async function* readRows(client: Client, config: PostgresSourceConfig, signal?: AbortSignal): AsyncIterable<RawRow> {
  await client.query('BEGIN READ ONLY');
  await client.query(`SET LOCAL statement_timeout = ${Math.trunc(config.statementTimeoutMs)}`);
  const params = config.params ?? [];
  // The limit is a bound parameter on purpose: with at least one value pg uses the extended protocol.
  await client.query(
    `DECLARE ${CURSOR} NO SCROLL CURSOR FOR SELECT * FROM (\n${unterminated(config.query)}\n) AS opsloop_source LIMIT $${params.length + 1}`,
    [...params, config.rowLimit + 1],
  );
  let row = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page = await client.query<Record<string, unknown>>(`FETCH ${FETCH_ROWS} FROM ${CURSOR}`);
    for (const values of page.rows) {
      row += 1;
      if (row > config.rowLimit) {
        throw new SourcePullError(`row limit ${config.rowLimit} exceeded: the query returns more rows; narrow it or raise config.rowLimit`, false);
      }
      yield { row, values };
    }
    if (page.rows.length < FETCH_ROWS) return;
  }
}

/** Driver errors in words a user can act on, scrubbed of credentials. */
function translate(err: unknown, config: PostgresSourceConfig, scrub: (s: string) => string): Error {
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return err as Error;
  const code = (err as { code?: string }).code ?? '';
  const message = scrub(describeError(err));
  if (code === '25006') return new SourcePullError(`query stopped: it tried to change data (${message}); postgres sources are read-only`, false);
  if (code === '57014' && /statement timeout/i.test(message)) {
    return new SourcePullError(`query stopped: it ran past its statement timeout of ${config.statementTimeoutMs} ms`, true);
  }
  if (/Query read timeout/i.test(message)) return new SourcePullError(`query stopped: the source database did not answer within ${config.statementTimeoutMs + 5_000} ms`, true);
  if (code === '0A000' && /data-modifying/i.test(message)) return new SourcePullError(`query stopped: it tried to change data (${message}); postgres sources are read-only`, false);
  const sqlState = /^[0-9A-Z]{5}$/.test(code);
  if (!sqlState || RETRYABLE_CODES.test(code)) return new SourcePullError(`source database unavailable: ${message}`, true);
  return new SourcePullError(`query failed: ${message} (SQLSTATE ${code})`, false);
}

/** Removes the connection string, and its password in raw and decoded form, from a message. */
export function scrubber(connectionString: string): (text: string) => string {
  const secrets = [connectionString];
  try {
    const password = new URL(connectionString).password;
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    // Not a URL: the whole string is the only thing to hide.
  }
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, s) => t.split(s).join('***'), text);
}
