/**
 * Finds a `temporal` CLI for the dev server, in the documented order:
 * TEMPORAL_CLI_PATH → PATH → the cache outside the repo → `go install` into that cache.
 * Returns null when none is available, so the caller can fall back to the SDK's own download.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';

export interface TemporalCli {
  path: string;
  source: TemporalCliSource;
}

export interface LocateOptions {
  cliPath?: string;
  cacheDir?: string;
  pathEnv?: string;
  allowGoBuild?: boolean;
  log?: (line: string) => void;
}

export function defaultCacheDir(): string {
  return process.env.XDG_CACHE_HOME
    ? path.join(process.env.XDG_CACHE_HOME, 'opsloop')
    : path.join(os.homedir(), '.cache', 'opsloop');
}

export function cachedCliPath(cacheDir: string): string {
  return path.join(cacheDir, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

export function locateTemporalCli(opts: LocateOptions = {}): TemporalCli | null {
  if (opts.cliPath) {
    if (!isExecutable(opts.cliPath)) {
      throw new Error(`TEMPORAL_CLI_PATH: ${opts.cliPath} is not an executable file`);
    }
    return { path: path.resolve(opts.cliPath), source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', opts.pathEnv ?? process.env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'PATH' };

  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const cached = cachedCliPath(cacheDir);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };

  if (opts.allowGoBuild !== false && findOnPath('go', opts.pathEnv ?? process.env.PATH ?? '')) {
    return buildWithGo(cached, opts.log);
  }
  return null;
}

function buildWithGo(target: string, log?: (line: string) => void): TemporalCli | null {
  log?.(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${path.dirname(target)} (once; takes a few minutes)`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const result = spawnSync('go', ['install', GO_PACKAGE], {
    env: { ...process.env, GOBIN: path.dirname(target) },
    cwd: os.tmpdir(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status === 0 && isExecutable(target)) return { path: target, source: 'go install' };
  // Ctrl-C during the build reaches `go` too; stop rather than try the next way.
  if (result.signal) throw new Error(`go install of the Temporal CLI was interrupted (${result.signal})`);
  log?.(`go install failed (exit ${result.status}); falling back to the SDK download`);
  return null;
}

function findOnPath(name: string, pathEnv: string): string | null {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
