/**
 * The README's walkthroughs, run as a reader runs them: their shell blocks go to bash unchanged
 * except for the ports (the README's localhost:3000 and :9999 become this stack's free ones), in a
 * folder whose `.opsloop/admin-key` holds the stack's admin key, against a real API and worker.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { freePort } from '@opsloop/devstack';
import { ROOT, waitForOutput } from '../support/spawn';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from '../support/test-apps';
import { jsonValues, readmeSection, shellBlocks } from '../support/readme-blocks';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const ROUND_TRIP = readmeSection(README, 'Try the round trip');
const RUN_A_LOOP = readmeSection(README, 'Run a loop');

interface BashRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('README walkthroughs', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let apiPort: number;
  let receiverPort: number;
  let home: string;
  let receiver: { child: ChildProcess; output: () => string } | undefined;

  /** The README's addresses, pointed at this stack. */
  const localize = (script: string) =>
    script.replace(/localhost:3000/g, `127.0.0.1:${apiPort}`).replace(/\b9999\b/g, String(receiverPort));

  function bash(script: string, cwd: string, timeoutMs = 90_000): Promise<BashRun> {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${localize(script)}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    return new Promise((resolve) => child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }));
  }

  beforeAll(async () => {
    const allowed = /`OUTBOUND_ALLOWED_HOSTS=(\S+) npm start`/.exec(RUN_A_LOOP)?.[1];
    if (!allowed) throw new Error('"Run a loop" no longer says which OUTBOUND_ALLOWED_HOSTS to start with');
    const env = { TEMPORAL_TASK_QUEUE: uniqueTaskQueue(), OUTBOUND_ALLOWED_HOSTS: allowed };
    worker = await startTestWorker(env);
    api = await startTestApi(env);
    [apiPort, receiverPort] = [await freePort(), await freePort()];
    await api.app.listen(apiPort, '127.0.0.1');
    // The reader's checkout after `npm start`: the admin key where the README reads it.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-readme-'));
    fs.mkdirSync(path.join(home, '.opsloop'));
    fs.writeFileSync(path.join(home, '.opsloop', 'admin-key'), `${api.adminKey}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    if (receiver?.child.pid) process.kill(-receiver.child.pid, 'SIGTERM');
    await api?.close();
    await worker?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('names jq, which the walkthroughs use, and this machine has it', async () => {
    expect(ROUND_TRIP + RUN_A_LOOP).toMatch(/use `curl` and \[`jq`\]/);
    expect((await bash('jq --version', home)).code).toBe(0);
  });

  it('"Try the round trip" writes the message through a workflow and reads it back', async () => {
    const blocks = shellBlocks(ROUND_TRIP);
    expect(blocks).toHaveLength(1);
    const { code, stdout, stderr } = await bash(blocks[0]!, home);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [created, read] = jsonValues(stdout) as { id: string; message: string }[];
    expect(created).toMatchObject({ id: '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab' });
    expect(read).toMatchObject({ id: '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab', message: 'hello' });
  });

  it('"Run a loop" holds the alert for approval, delivers it to the receiver once approved, and leaves the run measuring with its outcome due', async () => {
    const [receiverBlock, ...session] = shellBlocks(RUN_A_LOOP);
    expect(receiverBlock).toMatch(/^npm run -s opsloop -- receiver\b/);
    // A second terminal: the receiver runs from the checkout, as `npm run` needs.
    const child = spawn('bash', ['-c', localize(receiverBlock!)], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    child.stdout!.on('data', (d) => (printed += d));
    child.stderr!.on('data', (d) => (printed += d));
    receiver = { child, output: () => printed };
    await waitForOutput(receiver.output, /receiver listening on http:\/\/127\.0\.0\.1:/, 60_000);

    // One terminal session: the blocks share KEY, H, LOOP, RUN and DECISION.
    const { code, stdout, stderr } = await bash(session.join('\n'), home);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [event, waiting, approval, measuring, ledgerTypes, verdict] = jsonValues(stdout) as Record<string, unknown>[];
    expect(event).toMatchObject({ duplicate: false });
    expect(waiting).toMatchObject({
      status: 'awaiting-approval',
      steps: expect.arrayContaining(['decide completed']),
      decisions: [{ approval: 'pending', explanation: expect.stringContaining('97') }],
    });
    expect(approval).toMatchObject({ status: 'approved', reason: 'confirmed' });
    expect(measuring).toMatchObject({
      status: 'measuring', actedAt: expect.any(String), outcomeDueAt: expect.any(String),
      statusNote: expect.stringMatching(/^done acting at .*; outcome due /), act: { status: 'completed' },
    });
    const window = Date.parse(measuring!.outcomeDueAt as string) - Date.parse(measuring!.actedAt as string);
    expect(Math.abs(window - 600_000)).toBeLessThan(60_000);
    expect(ledgerTypes).toEqual(['decision', 'approval', 'action']);
    expect(verdict).toMatchObject({ ok: true });

    expect(receiver.output()).toMatch(/POST \/alerts {2}Idempotency-Key: \S+/);
    expect(receiver.output()).toContain('"value": 97');
  });

  it('lists every loop kind GET /api/v1/loop-kinds serves', async () => {
    const listed = /`GET \/api\/v1\/loop-kinds` lists them: ([^)]*)\)/.exec(README.replace(/\n\s*/g, ' '))?.[1];
    const documented = [...(listed ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort();
    const res = await api.http().get('/api/v1/loop-kinds').set(bearer(api.adminKey));
    expect(documented).toEqual((res.body as { name: string }[]).map((k) => k.name).sort());
  });

  it('shows trigger shapes, everySeconds included, that the API accepts as written', async () => {
    const shapes = [...README.matchAll(/`(\{"type": "(?:cron|interval|event)"[^`]*\})`/g)].map((m) => JSON.parse(m[1]!) as { type: string });
    expect(shapes.map((t) => t.type).sort()).toEqual(['cron', 'event', 'interval']);
    expect(shapes).toContainEqual({ type: 'interval', everySeconds: expect.any(Number) });
    for (const trigger of shapes) {
      const res = await api.http().post('/api/v1/loops').set(bearer(api.adminKey))
        .send({ name: `readme trigger ${trigger.type}`, kind: 'noop', trigger });
      expect([trigger.type, res.status]).toEqual([trigger.type, 201]);
      await api.http().delete(`/api/v1/loops/${(res.body as { id: string }).id}`).set(bearer(api.adminKey));
    }
  });
});
