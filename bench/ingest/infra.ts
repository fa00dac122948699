/**
 * The database the bench loads into: DATABASE_URL when set, otherwise an ephemeral embedded
 * Postgres on a free port, started like bench/engine and the tests do (startDependencies). No
 * Temporal server is started: the API's Temporal client is lazy and ingest never calls it, and an
 * idle dev server would only take CPU from the two cores being measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevStackEnv, validateEnv } from '@opsloop/config';
import { freePort } from '@opsloop/devstack';
import { startDependencies } from '../../apps/cli/src/start/dependencies';

export interface IngestInfra {
  databaseUrl: string;
  /** An address nothing listens on, for the API's (unused) Temporal client. */
  temporalAddress: string;
  /** Data directory of the embedded Postgres, to find its processes; null when external. */
  pgDataDir: string | null;
  describe: string;
  stop(): Promise<void>;
}

export async function startInfra(log: (line: string) => void): Promise<IngestInfra> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-bench-ingest-'));
  fs.chmodSync(scratch, 0o755); // the embedded Postgres runs as another user
  const temporalAddress = `127.0.0.1:${await freePort()}`;
  const env = validateEnv(DevStackEnv, { ...process.env, TEMPORAL_ADDRESS: temporalAddress, OPSLOOP_PG_PORT: String(await freePort()) });
  const deps = await startDependencies(env, scratch, log, { ephemeral: true });
  return {
    databaseUrl: deps.databaseUrl,
    temporalAddress,
    pgDataDir: env.DATABASE_URL ? null : path.join(scratch, 'pg'),
    describe: deps.describe.postgres,
    stop: async () => {
      await deps.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
