/**
 * Schemathesis from PyPI, pinned, in a virtualenv outside the repo (under the opsloop cache
 * directory, next to the Temporal CLI), and one `st run` against the stack with one API key.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { defaultCacheDir } from '@opsloop/devstack';

export const SCHEMATHESIS_VERSION = '4.32.5';
const HERE = __dirname;

/** The `st` executable, installing schemathesis into the venv first when it is missing or another version. */
export function ensureSchemathesis(log: (line: string) => void): string {
  const venv = path.join(process.env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), 'schemathesis-venv');
  const st = path.join(venv, 'bin', 'st');
  if (fs.existsSync(st) && installedVersion(st) === SCHEMATHESIS_VERSION) return st;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv}`);
  const python = process.env.PYTHON ?? 'python3';
  run(python, ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  return st;
}

function installedVersion(st: string): string | null {
  const out = spawnSync(st, ['--version'], { encoding: 'utf8' });
  return out.status === 0 ? (/version (\S+)/.exec(out.stdout)?.[1] ?? null) : null;
}

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
}

export interface FuzzRunOptions {
  st: string;
  /** The schemathesis.toml of this run (config.ts). */
  config: string;
  baseUrl: string;
  key: string;
  /** Where the NDJSON event stream and the console output go. */
  reportDir: string;
  maxExamples: number;
  seed: string;
  workers: number;
  /** Aborting stops schemathesis (Ctrl-C on the bench). */
  signal: AbortSignal;
}

export interface FuzzRunFiles {
  ndjson: string;
  json: string;
  console: string;
  exitCode: number;
}

/** One `st run --checks all` against /api/docs-json; resolves when schemathesis exits (it exits 1 when it found failures). */
export function runSchemathesis(o: FuzzRunOptions): Promise<FuzzRunFiles> {
  fs.mkdirSync(o.reportDir, { recursive: true });
  const files = { ndjson: path.join(o.reportDir, 'events.ndjson'), json: path.join(o.reportDir, 'report.json'), console: path.join(o.reportDir, 'console.txt') };
  const args = [
    '--config-file', o.config, 'run', `${o.baseUrl}/api/docs-json`,
    '--checks', 'all', '--header', `Authorization: Bearer ${o.key}`,
    '--max-examples', String(o.maxExamples), '--seed', o.seed, '--workers', String(o.workers),
    '--report', 'ndjson,json', '--report-ndjson-path', files.ndjson, '--report-json-path', files.json,
    '--no-color',
  ];
  const out = fs.openSync(files.console, 'w');
  // Run from the report directory: schemathesis keeps its example database (.schemathesis/) in the working directory.
  const child = spawn(o.st, args, {
    cwd: o.reportDir, stdio: ['ignore', out, out], signal: o.signal, env: { ...process.env, SCHEMATHESIS_HOOKS: path.join(HERE, 'hooks.py') },
  });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      fs.closeSync(out);
      reject(err);
    });
    child.once('exit', (code) => {
      fs.closeSync(out);
      resolve({ ...files, exitCode: code ?? 1 });
    });
  });
}
