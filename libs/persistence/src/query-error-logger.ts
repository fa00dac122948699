/**
 * TypeORM's query logging without the bound parameters. TypeORM's own loggers print every failed
 * query with its parameters, and parameters carry sealed credentials, hashed keys and raw rows;
 * here a failure is logged by its SQL and error message only.
 */
import type { Logger } from 'typeorm';

const MAX_SQL_CHARS = 500;

export class ParameterFreeQueryLogger implements Logger {
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    console.error(`query failed: ${oneLine(query)} -- ${message} (parameters withheld)`);
  }

  logQuerySlow(time: number, query: string): void {
    console.warn(`slow query (${time} ms): ${oneLine(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') console.warn(String(message));
  }
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SQL_CHARS ? `${flat.slice(0, MAX_SQL_CHARS)}…` : flat;
}
