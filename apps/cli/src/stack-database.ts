/**
 * The database of a running `npm start`, for CLI commands run beside it. While the stack runs,
 * `npm start` keeps its embedded Postgres's URL in OPSLOOP_HOME/database-url (mode 0600, gitignored
 * with the rest of the folder); commands read it when DATABASE_URL is unset. URLs shown to the
 * user always have their password masked.
 */
import fs from 'node:fs';
import path from 'node:path';

const FILE_NAME = 'database-url';

export function stackDatabaseUrlFile(home: string): string {
  return path.join(path.resolve(home), FILE_NAME);
}

/** Written once the embedded Postgres is up; owner-only, since the URL holds the password. */
export function writeStackDatabaseUrl(home: string, url: string): string {
  const file = stackDatabaseUrlFile(home);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${url}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600); // an umask or an older file must not widen it
  fs.renameSync(temp, file);
  return file;
}

/** Removed at stop, so a command run later says the stack is not running instead of timing out. */
export function removeStackDatabaseUrl(home: string): void {
  fs.rmSync(stackDatabaseUrlFile(home), { force: true });
}

/** The running stack's URL (null when none runs) and the file it is kept in, under OPSLOOP_HOME. */
export function readStackDatabaseUrl(env: NodeJS.ProcessEnv = process.env): { url: string | null; file: string } {
  const file = stackDatabaseUrlFile(env.OPSLOOP_HOME || '.opsloop');
  try {
    return { url: fs.readFileSync(file, 'utf8').trim() || null, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { url: null, file };
    throw err;
  }
}

/** `postgres://user:****@host:port/db`: safe to print. An unparseable URL is not shown at all. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '<database URL>';
  }
}
