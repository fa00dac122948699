/**
 * The servers the bench runs against: DATABASE_URL / TEMPORAL_ADDRESS when set, otherwise an
 * ephemeral embedded Postgres and an in-memory Temporal dev server on free ports, started the
 * way the test suite starts them (tests/support/global-setup.ts). The worker context migrates.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { defaultCacheDir, freePort, locateTemporalCli } from '@opsloop/devstack';
import { startDependencies } from '../../apps/cli/src/start/dependencies';
import type { ServerProcesses } from './cpu';

export interface BenchInfra {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** Scratch directory for the workflow bundle and the embedded Postgres data. */
  scratch: string;
  describe: { postgres: string; temporal: string; temporalCli: string };
  /** The servers this bench started, to measure their CPU. */
  processes: ServerProcesses;
  stop(): Promise<void>;
}

export async function startInfra(log: (line: string) => void): Promise<BenchInfra> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-bench-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const env = validateEnv(DevStackEnv, {
    ...process.env,
    OPSLOOP_PG_PORT: String(await freePort()),
    OPSLOOP_TEMPORAL_PORT: String(await freePort()),
  });
  const deps = await startDependencies(env, scratch, log, { ephemeral: true });
  return {
    databaseUrl: deps.databaseUrl,
    temporalAddress: deps.temporalAddress,
    namespace: env.TEMPORAL_NAMESPACE,
    scratch,
    describe: { ...deps.describe, temporalCli: env.TEMPORAL_ADDRESS ? 'external (TEMPORAL_ADDRESS)' : cliVersion(env) },
    processes: {
      temporalPort: env.TEMPORAL_ADDRESS ? null : env.OPSLOOP_TEMPORAL_PORT,
      pgDataDir: env.DATABASE_URL ? null : path.join(scratch, 'pg'),
    },
    stop: async () => {
      await deps.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** What `temporal --version` says for the binary startDependencies picked (same lookup, no build). */
function cliVersion(env: DevStackEnv): string {
  const cli = locateTemporalCli({ cliPath: env.TEMPORAL_CLI_PATH, cacheDir: env.OPSLOOP_CACHE_DIR ?? defaultCacheDir(), allowGoBuild: false });
  if (!cli) return 'SDK download';
  try {
    return `${execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim()} (${cli.source}: ${cli.path})`;
  } catch (err) {
    return `unknown (${cli.path}: ${String(err)})`;
  }
}
