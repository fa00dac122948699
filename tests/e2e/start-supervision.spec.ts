/**
 * `npm start` supervises what it started: a worker, API, Postgres or Temporal that dies is started
 * again (same port, same data) and the stack carries on by itself; a process that keeps crashing
 * at start stops everything with its last lines. Processes are killed with SIGKILL, as a crash or
 * the OOM killer would, and found by their command line in `npm start`'s process group.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '@opsloop/devstack';
import { EffectTarget, startEffectTarget } from '../support/effect-target';
import { eventually } from '../support/eventually';
import { READING_SCHEMA } from '../integration/sources/pull-fixtures';
import { cleanEnv, runEntry, waitForOutput } from '../support/spawn';

function groupMembers(pgid: number): { pid: number; args: string }[] {
  return execSync('ps -eo pid=,pgid=,args=').toString().split('\n').map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 2 && Number(f[1]) === pgid).map((f) => ({ pid: Number(f[0]), args: f.slice(2).join(' ') }));
}

async function waitForGroupEmpty(pgid: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  return groupMembers(pgid).map((m) => `${m.pid} ${m.args}`);
}

type Stack = ReturnType<typeof runEntry> & { pgid: number };

function startStack(env: NodeJS.ProcessEnv): Stack {
  const run = runEntry('apps/cli/src/main.ts', env, ['start'], true);
  return { ...run, pgid: run.child.pid! };
}

/** SIGKILLs the one process of the stack whose command line matches, and returns when. */
function killOne(stack: Stack, pattern: RegExp): number {
  const found = groupMembers(stack.pgid).filter((m) => pattern.test(m.args));
  if (found.length !== 1) throw new Error(`expected one process matching ${pattern}, found: ${JSON.stringify(found)}`);
  process.kill(found[0]!.pid, 'SIGKILL');
  return Date.now();
}

/** Waits for `pattern` in what the stack printed after `from` characters; returns the match and when it was seen. */
async function printed(stack: Stack, from: number, pattern: RegExp, timeoutMs = 60_000): Promise<{ match: RegExpExecArray; at: number }> {
  await waitForOutput(() => stack.output().slice(from), pattern, timeoutMs, stack.done);
  return { match: pattern.exec(stack.output().slice(from))!, at: Date.now() };
}

/** A pull source's outside API whose first request never gets an answer; later ones read 97 for every series. */
async function startHangingFeed(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    if (requests === 1) return;
    const ts = new Date(Date.now() - 60_000).toISOString();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ series: 'cpu.eu', ts, value: 97 }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/readings`,
    requests: () => requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const WORKER = /apps\/worker\/src\/main\.ts/;
const API = /apps\/api\/src\/main\.ts/;
const POSTGRES = /bin\/postgres -D /;
const TEMPORAL = /temporal server start-dev/;

describe('npm start supervises its processes', () => {
  let home: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let stack: Stack;
  let target: EffectTarget;
  const figures: string[] = [];

  const key = () => fs.readFileSync(path.join(home, 'admin-key'), 'utf8').trim();
  const api = (p: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port}${p}`, {
    ...init, signal: AbortSignal.timeout(40_000), headers: { Authorization: `Bearer ${key()}`, 'Content-Type': 'application/json' },
  });
  const roundTrip = (id: string) => api('/api/v1/round-trips', { method: 'POST', body: JSON.stringify({ id, message: `m-${id}` }) });

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-supervise-'));
    fs.chmodSync(home, 0o755); // the embedded Postgres runs as another user
    port = await freePort();
    target = await startEffectTarget();
    env = cleanEnv({
      OPSLOOP_HOME: home, PORT: String(port), OPSLOOP_PG_PORT: String(await freePort()),
      OPSLOOP_TEMPORAL_PORT: String(await freePort()), OPSLOOP_TEMPORAL_UI_PORT: String(await freePort()),
      OPSLOOP_DEMO: '0', LOG_LEVEL: 'warn', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    });
    stack = startStack(env);
    await waitForOutput(stack.output, /opsloop is ready/, 150_000, stack.done);
  }, 180_000);
  afterAll(async () => {
    // A failed assertion must not leave a dev stack running behind the test run.
    try { process.kill(-stack.pgid, 'SIGKILL'); } catch { /* already gone */ }
    await target.close();
    fs.rmSync(home, { recursive: true, force: true });
    if (figures.length > 0) process.stdout.write(`supervision figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
  });

  it('brings a worker killed in the middle of a run (webhook in flight) back by itself; the act stage resumes within 30 s and the run completes with one effect', async () => {
    const loop = await (await api('/api/v1/loops', { method: 'POST', body: JSON.stringify({
      name: 'supervised alert', kind: 'threshold-alert', mode: 'live', params: { bound: 90, direction: 'above' },
      trigger: { type: 'event' }, actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 5, maxAttempts: 5 },
    }) })).json() as { id: string };
    // The first delivery is taken and then left hanging: the act stage is in flight when the worker dies.
    target.misbehave('hang-after-effect');
    const started = await api(`/api/v1/loops/${loop.id}/events`, { method: 'POST', body: JSON.stringify({ eventId: randomUUID(), payload: { readings: [{ series: 'cpu.eu', value: 97 }] } }) });
    expect(started.status).toBe(202);
    const runOf = async () => {
      const runs = await (await api(`/api/v1/runs?loopId=${loop.id}`)).json() as { id: string }[];
      return runs[0] ? await (await api(`/api/v1/runs/${runs[0].id}`)).json() as { status: string; steps: { stage: string; status: string }[] } : null;
    };
    await eventually(async () => {
      if (target.deliveries.length === 1) return true;
      const run = await runOf();
      if (run && ['completed', 'measuring', 'failed'].includes(run.status)) throw new Error(`the run ended without a delivery: ${JSON.stringify(run)}`);
      return undefined;
    }, 'the first webhook delivery', 60_000, 50);

    const from = stack.output().length;
    const killedAt = killOne(stack, WORKER);
    await printed(stack, from, /worker exited \(signal SIGKILL\); restarting in 1 s \(restart 1\)/);
    const back = await printed(stack, from, /worker back \(ready ([\d.]+) s after it exited\)/);
    await eventually(async () => (target.deliveries.length >= 2 ? true : undefined), 'the act stage to resume on the new worker', 60_000, 100);
    const resumedAt = Date.now();
    figures.push(`worker: SIGKILL → back ${((back.at - killedAt) / 1000).toFixed(1)} s; act stage resumed ${((resumedAt - back.at) / 1000).toFixed(1)} s after back`);
    expect(resumedAt - back.at).toBeLessThan(30_000);

    const run = await eventually(async () => {
      const r = await runOf();
      return r && ['completed', 'measuring', 'failed'].includes(r.status) ? r : undefined;
    }, 'the run to finish', 60_000);
    expect(run.status).not.toBe('failed');
    expect(run.steps.filter((s) => s.stage === 'act').map((s) => s.status)).toContain('completed');
    // Delivered again after the kill, applied once: the target saw one key, one effect.
    expect([...target.effects.values()]).toEqual([1]);
    expect(new Set(target.deliveries.map((d) => d.key)).size).toBe(1);
  }, 150_000);

  it('retries a kind stage (collect pulling a source) that was in flight on a killed worker within 30 s of the worker coming back', async () => {
    // An outside API for a pull source that never answers its first request: collect is in flight when the worker dies.
    const feed = await startHangingFeed();
    try {
      const source = await (await api('/api/v1/sources', { method: 'POST', body: JSON.stringify({
        name: 'supervised feed', kind: 'http', schema: READING_SCHEMA, gatePolicy: 'warn', config: { url: feed.url, itemsPath: 'items', retries: 0 },
      }) })).json() as { id: string };
      const loop = await (await api('/api/v1/loops', { method: 'POST', body: JSON.stringify({
        name: 'supervised collect', kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' },
        params: { bound: 90, source: { sourceId: source.id, series: ['cpu.eu'] } },
        actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 5, maxAttempts: 5 },
      }) })).json() as { id: string };
      const started = await api(`/api/v1/loops/${loop.id}/runs`, { method: 'POST', body: '{}' });
      expect(started.status).toBe(202);
      await eventually(async () => (feed.requests() >= 1 ? true : undefined), 'the collect stage to call the source', 60_000, 50);

      const from = stack.output().length;
      const killedAt = killOne(stack, WORKER);
      const back = await printed(stack, from, /worker back \(ready ([\d.]+) s after it exited\)/);
      await eventually(async () => (feed.requests() >= 2 ? true : undefined), 'collect to be retried on the new worker', 60_000, 100);
      const resumedAt = Date.now();
      figures.push(`worker: SIGKILL in collect → back ${((back.at - killedAt) / 1000).toFixed(1)} s; collect retried ${((resumedAt - back.at) / 1000).toFixed(1)} s after back`);
      expect(resumedAt - back.at).toBeLessThan(30_000);

      const runs = await (await api(`/api/v1/runs?loopId=${loop.id}`)).json() as { id: string }[];
      const run = await eventually(async () => {
        const r = await (await api(`/api/v1/runs/${runs[0]!.id}`)).json() as { status: string; steps: { stage: string; status: string }[] };
        return ['completed', 'measuring', 'failed'].includes(r.status) ? r : undefined;
      }, 'the run to finish', 60_000);
      expect(run.status).not.toBe('failed');
      expect(run.steps.filter((s) => s.stage === 'collect').map((s) => s.status)).toContain('completed');
    } finally {
      await feed.close();
    }
  }, 150_000);

  it('brings a killed API back, and every request it answered 2xx is there afterwards', async () => {
    const answered: string[] = [];
    let failed = 0;
    let running = true;
    const client = async () => {
      while (running) {
        const id = randomUUID();
        try {
          const res = await roundTrip(id);
          if (res.ok) answered.push(id);
          else failed += 1;
        } catch {
          failed += 1;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const clients = [client(), client(), client()];
    await eventually(async () => (answered.length >= 5 ? true : undefined), 'requests answered before the kill', 30_000, 50);
    const beforeKill = answered.length;
    const from = stack.output().length;
    const killedAt = killOne(stack, API);
    await printed(stack, from, /api exited \(signal SIGKILL\); restarting in 1 s \(restart 1\)/);
    const back = await printed(stack, from, /api back \(ready ([\d.]+) s after it exited\)/);
    figures.push(`api: SIGKILL → back ${((back.at - killedAt) / 1000).toFixed(1)} s`);
    const afterBack = answered.length;
    await eventually(async () => (answered.length >= afterBack + 5 ? true : undefined), 'requests answered after the API came back', 30_000, 50);
    running = false;
    await Promise.all(clients);

    expect(failed).toBeGreaterThan(0); // the kill did cut requests off: the test saw the outage
    expect(beforeKill).toBeGreaterThanOrEqual(5);
    for (const id of answered) {
      const res = await api(`/api/v1/round-trips/${id}`);
      expect([id, res.status, ((await res.json()) as { message?: string }).message]).toEqual([id, 200, `m-${id}`]);
    }
  }, 120_000);

  it('restarts a killed Postgres on its data: readiness recovers and what was stored before is still there', async () => {
    const before = randomUUID();
    expect((await roundTrip(before)).status).toBe(201);
    const from = stack.output().length;
    const killedAt = killOne(stack, POSTGRES);
    await printed(stack, from, /postgres exited \(signal SIGKILL\); restarting in 1 s \(restart 1\)/);
    const back = await printed(stack, from, /postgres back \(ready ([\d.]+) s after it exited\)/);
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200 ? true : undefined), 'the API ready again', 30_000);
    figures.push(`postgres: SIGKILL → back ${((back.at - killedAt) / 1000).toFixed(1)} s, API ready ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);

    expect((await api(`/api/v1/round-trips/${before}`)).status).toBe(200);
    // The worker's pool reconnected too: a new round trip is written by its activity.
    await eventually(async () => ((await roundTrip(randomUUID())).status === 201 ? true : undefined), 'a round trip after the Postgres restart', 30_000);
    expect(stack.output().slice(from)).not.toMatch(/(worker|api) exited/);
  }, 90_000);

  it('restarts a killed Temporal on its db file: old workflows are still there and new ones run', async () => {
    const before = randomUUID();
    expect((await roundTrip(before)).status).toBe(201);
    const from = stack.output().length;
    const killedAt = killOne(stack, TEMPORAL);
    await printed(stack, from, /temporal exited \(signal SIGKILL\); restarting in 1 s \(restart 1\)/);
    const back = await printed(stack, from, /temporal back \(ready ([\d.]+) s after it exited\)/);
    const after = await eventually(async () => ((await roundTrip(randomUUID())).status === 201 ? Date.now() : undefined), 'a round trip after the Temporal restart', 60_000);
    figures.push(`temporal: SIGKILL → back ${((back.at - killedAt) / 1000).toFixed(1)} s, first workflow done ${((after - killedAt) / 1000).toFixed(1)} s`);

    const connection = await Connection.connect({ address: `127.0.0.1:${env.OPSLOOP_TEMPORAL_PORT}` });
    try {
      const described = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: `round-trip-${before}` } });
      expect(described.workflowExecutionInfo?.type?.name).toBe('roundTripWorkflow');
    } finally {
      await connection.close();
    }
  }, 120_000);

  it('still stops everything on Ctrl-C after restarts, leaving no process behind', async () => {
    const from = stack.output().length;
    process.kill(-stack.pgid, 'SIGINT'); // as a terminal does: the children get it too, and their exits are no crashes
    expect((await stack.done).code).toBe(0);
    expect(stack.output().slice(from)).not.toMatch(/exited \(|restarting in/);
    expect(await waitForGroupEmpty(stack.pgid, 10_000)).toEqual([]);
    expect(fs.existsSync(path.join(home, 'database-url'))).toBe(false);
  }, 60_000);

  it('stops with a clear message, the last log lines and a non-zero exit when the API keeps crashing at start', async () => {
    // Something else holds the API's port: every API start fails the same way.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const crashing = startStack(env);
      stack = crashing; // afterAll kills its group should an assertion fail
      const done = await crashing.done;
      expect(done.code).toBe(1);
      expect(done.output).toMatch(/api exited \(code 1\); restarting in 8 s \(restart 4\)/);
      expect(done.output).toMatch(/api keeps crashing at start \(5 times in a row, last: code 1\); stopping everything/);
      expect(done.output).toMatch(new RegExp(`last \\d+ lines from api:\\n(.*\\n)*\\[opsloop\\]   \\| opsloop api failed to start: listen EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
      expect(done.output).not.toMatch(/opsloop is ready/);
      expect(await waitForGroupEmpty(crashing.pgid, 10_000)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 150_000);
});
