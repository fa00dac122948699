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

/** The IPv4 addresses the sockets listening on `port` are bound to, read from the kernel's table. */
function ipv4ListenAddresses(port: number): string[] {
  const rows = fs.readFileSync('/proc/net/tcp', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  const listening = rows.filter((r) => r[3] === '0A' && parseInt(r[1]!.split(':')[1]!, 16) === port);
  // The kernel prints the address as one little-endian hex word: 0100007F is 127.0.0.1.
  return listening.map((r) => Buffer.from(r[1]!.split(':')[0]!, 'hex').reverse().join('.'));
}

function ipv6ListenCount(port: number): number {
  if (!fs.existsSync('/proc/net/tcp6')) return 0;
  const rows = fs.readFileSync('/proc/net/tcp6', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  return rows.filter((r) => r[3] === '0A' && parseInt(r[1]!.split(':')[1]!, 16) === port).length;
}

const nonLoopbackIpv4 = () => Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

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

  it('listens on loopback only, and audit verify beside it checks its database without DATABASE_URL or a printed password', async () => {
    const run = start();
    await run.ready;
    expect(ipv4ListenAddresses(port)).toEqual(['127.0.0.1']);
    expect(ipv6ListenCount(port)).toBe(0);
    const outside = nonLoopbackIpv4();
    if (outside) await expect(fetch(`http://${outside}:${port}/health`, { signal: AbortSignal.timeout(3_000) })).rejects.toThrow();
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    const urlFile = path.join(home, 'database-url');
    expect(fs.statSync(urlFile).mode & 0o777).toBe(0o600);
    const password = decodeURIComponent(new URL(fs.readFileSync(urlFile, 'utf8').trim()).password);
    expect(password).not.toBe('');
    expect(run.output()).not.toContain(password);
    expect(run.output()).toMatch(/Database URL\s+postgres:\/\/opsloop_app:\*\*\*\*@127\.0\.0\.1:/);

    const audit = () => runEntry('apps/cli/src/main.ts', cleanEnv({ OPSLOOP_HOME: home }), ['audit', 'verify']).done;
    const verified = await audit();
    expect(verified.output).toMatch(/^ledger ok: \d+ entries/);
    expect(verified.code).toBe(0);
    expect(verified.output).not.toContain(password);

    process.kill(-run.child.pid!, 'SIGINT');
    expect((await run.done).code).toBe(0);
    expect(fs.existsSync(urlFile)).toBe(false);
    const afterStop = await audit();
    expect(afterStop.code).toBe(2);
    expect(afterStop.output).toMatch(/DATABASE_URL is not set, and no `npm start` is running here/);
    expect(afterStop.output).not.toContain(password);
  });
});
