/**
 * `opsloop audit verify [--json]`: re-hashes the decision ledger straight from Postgres and says
 * whether the chain is intact. Read-only and runs no migrations, so it is safe against production.
 * Without DATABASE_URL it checks the database of the `npm start` running in this folder.
 * Exit 0 intact, 1 broken, 2 when it cannot check (usage, DATABASE_URL, connection, schema).
 */
import 'reflect-metadata';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { EnvValidationError, validateEnv } from '@opsloop/config';
import { LedgerVerdict } from '@opsloop/domain';
import { dataSourceOptions, TypeOrmLedgerRepository } from '@opsloop/persistence';
import { readStackDatabaseUrl } from '../stack-database';
import { anchorSetup } from './audit-anchors';

const USAGE = 'usage: opsloop audit verify [--json]\n  verify   check the ledger hash chain (exit 0 intact, 1 broken, 2 cannot check)\n  --json   print the verdict as JSON';

class AuditEnv {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL!: string;
}

/** Thrown for anything that stops the check itself; the message never holds the URL. */
class CannotCheck extends Error {}

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...options] = args;
  if (sub === 'help' || sub === '--help') return (out(USAGE), 0);
  if (sub !== 'verify') return usageError(sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`);
  const unknown = options.find((o) => o !== '--json');
  if (unknown !== undefined) return usageError(`unknown option "${unknown}"`);
  try {
    const verdict = await verifyLedger(...readDatabaseUrl());
    out(options.includes('--json') ? JSON.stringify(verdict, null, 2) : verdict.message);
    return verdict.ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof CannotCheck)) throw err;
    process.stderr.write(`opsloop audit: ${err.message}\n`);
    return 2;
  }
}

/** The URL to check, and what to tell the user when it cannot be reached. */
function readDatabaseUrl(): [string, string] {
  if (!process.env.DATABASE_URL) {
    const stack = readStackDatabaseUrl();
    if (stack.url) return [stack.url, ` (the database of \`npm start\`, from ${stack.file}; is it still running?)`];
    throw new CannotCheck(
      `DATABASE_URL is not set, and no \`npm start\` is running here (no ${stack.file}). Start opsloop with \`npm start\` ` +
        'and run this again beside it, or point DATABASE_URL at the opsloop database:\n' +
        '  DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DATABASE npm run -s opsloop -- audit verify',
    );
  }
  try {
    return [validateEnv(AuditEnv).DATABASE_URL, ''];
  } catch (err) {
    if (err instanceof EnvValidationError) throw new CannotCheck(err.message);
    throw err;
  }
}

async function verifyLedger(url: string, whereFrom: string): Promise<LedgerVerdict> {
  const options = dataSourceOptions(url, 1) as PostgresConnectionOptions;
  const ds = new DataSource({
    ...options,
    // Belt and braces: the session itself refuses writes, whatever the code below does.
    extra: { ...options.extra, application_name: 'opsloop-audit', options: '-c default_transaction_read_only=on' },
    // TypeORM would otherwise try CREATE EXTENSION at connect, which a read-only session refuses.
    installExtensions: false,
  });
  try {
    await ds.initialize();
  } catch (err) {
    throw new CannotCheck(`cannot connect to Postgres at ${safeTarget(url)}${whereFrom}: ${redact((err as Error).message, url)}`);
  }
  try {
    const anchors = anchorSetup();
    const verdict = await new TypeOrmLedgerRepository(ds).verify(anchors.source ?? undefined);
    return anchors.source ? verdict : { ...verdict, message: `${verdict.message}; ${anchors.why}` };
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new CannotCheck(`${safeTarget(url)} has no ledger tables: its migrations have not run (start the API or the worker once, or npm run migration:run)`);
    }
    throw new CannotCheck(`cannot read the ledger at ${safeTarget(url)}: ${redact((err as Error).message, url)}`);
  } finally {
    await ds.destroy();
  }
}

/** host:port/db, without credentials. */
function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

/** Driver messages should never carry the URL or password, but the URL holds a secret: make sure. */
function redact(message: string, url: string): string {
  let text = message.split(url).join('<DATABASE_URL>');
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) text = text.split(password).join('<password>');
  } catch {
    // An unparseable URL was refused by validation already.
  }
  return text;
}

function usageError(problem: string): number {
  process.stderr.write(`opsloop audit: ${problem}\n${USAGE}\n`);
  return 2;
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}
