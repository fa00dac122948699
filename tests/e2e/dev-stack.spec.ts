/**
 * `npm start` as a user runs it: embedded Postgres and a Temporal dev server of its own, the
 * worker and the API as child processes. Stopping must leave no process behind, and a second
 * start must find the first one's data in Postgres and its workflow in Temporal.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '@opsloop/devstack';
import { cleanEnv, runEntry, waitForOutput } from '../support/spawn';

function groupMembers(pgid: number): string[] {
  return execSync('ps -eo pid=,pgid=,args=').toString().split('\n')
    .filter((l) => l.trim() && Number(l.trim().split(/\s+/)[1]) === pgid);
}

async function waitForGroupEmpty(pgid: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = groupMembers(pgid);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = groupMembers(pgid);
  }
  return left;
}

describe('npm start (opsloop start)', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const id = randomUUID();

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-home-'));
    fs.chmodSync(home, 0o755);
    port = await freePort();
    env = cleanEnv({
      OPSLOOP_HOME: home, PORT: String(port), OPSLOOP_PG_PORT: String(await freePort()),
      OPSLOOP_TEMPORAL_PORT: String(await freePort()), OPSLOOP_TEMPORAL_UI_PORT: String(await freePort()), LOG_LEVEL: 'warn',
    });
  });
  const groups: number[] = [];
  afterEach(() => {
    // A failed assertion must not leave a dev stack running behind the test run.
    for (const pgid of groups.splice(0)) {
      try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
    }
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  const start = () => {
    const run = runEntry('apps/cli/src/main.ts', env, ['start'], true);
    groups.push(run.child.pid!);
    return { ...run, ready: waitForOutput(run.output, /opsloop is ready/, 150_000, run.done) };
  };
  const adminKey = () => fs.readFileSync(path.join(home, 'admin-key'), 'utf8').trim();
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers: { Authorization: `Bearer ${adminKey()}`, 'Content-Type': 'application/json' } });

  it('serves a ready API with a generated admin key, and Ctrl-C leaves no process', async () => {
    const run = start();
    await run.ready;
    expect(run.output()).toMatch(new RegExp(`Admin key\\s+${adminKey()}`));
    // The demo shop is set up on the embedded database, and its loop is there to run.
    const demoLoop = /Demo loop\s+([0-9a-f-]{36})/.exec(run.output())?.[1];
    expect(((await (await api(`/api/v1/loops/${demoLoop}`)).json()) as { kind: string }).kind).toBe('replenishment');
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    const trip = await api('/api/v1/round-trips', { method: 'POST', body: JSON.stringify({ id, message: 'before restart' }) });
    expect(trip.status).toBe(201);

    process.kill(-run.child.pid!, 'SIGINT'); // what a terminal does on Ctrl-C: the whole group
    expect((await run.done).code).toBe(0);
    expect(await waitForGroupEmpty(run.child.pid!, 10_000)).toEqual([]);
  });

  it('keeps data and workflow history across a restart, and SIGTERM to the supervisor alone stops every child', async () => {
    const run = start();
    await run.ready;
    const read = await api(`/api/v1/round-trips/${id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { message: string }).message).toBe('before restart');

    const connection = await Connection.connect({ address: `127.0.0.1:${env.OPSLOOP_TEMPORAL_PORT}` });
    try {
      const described = await connection.workflowService.describeWorkflowExecution({
        namespace: 'default', execution: { workflowId: `round-trip-${id}` },
      });
      expect(described.workflowExecutionInfo?.type?.name).toBe('roundTripWorkflow');
    } finally {
      await connection.close();
    }

    process.kill(run.child.pid!, 'SIGTERM');
    expect((await run.done).code).toBe(0);
    expect(await waitForGroupEmpty(run.child.pid!, 10_000)).toEqual([]);
  });
});
