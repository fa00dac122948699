/**
 * Temporal stopped across a scheduled fire time and started again within the loop's catch-up
 * window: the missed run happens, once. A loop whose window is shorter than the outage skips it
 * (Temporal counts it as missed), so the window is what decides. Uses a Temporal dev server of
 * its own, with its state in a file, stopped and restarted on the same port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultCacheDir, freePort, locateTemporalCli, RunningTemporal, startTemporalDevServer } from '@opsloop/devstack';
import { loopScheduleId } from '@opsloop/domain';
import { createLoop, EngineFixture } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { runEntry, waitForOutput } from '../../support/spawn';
import { bearer, startTestApi, TestApi, uniqueTaskQueue } from '../../support/test-apps';

const EVERY_SECONDS = 30;
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
/** Temporal names a scheduled run `<prefix>-<nominal time, RFC 3339 in seconds>`. */
const firedAt = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('a scheduled fire missed while Temporal was down', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-catchup-'));
  let server: RunningTemporal;
  let serverOptions: Parameters<typeof startTemporalDevServer>[0];
  let api: TestApi;
  let worker: ReturnType<typeof runEntry>;
  let f: EngineFixture;

  beforeAll(async () => {
    const cli = locateTemporalCli({ cacheDir: defaultCacheDir(), allowGoBuild: false });
    serverOptions = { cli, port: await freePort(), uiPort: await freePort(), namespace: NAMESPACE, headless: true, dbFile: path.join(scratch, 'temporal.db') };
    server = await startTemporalDevServer(serverOptions);
    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: uniqueTaskQueue() };
    worker = runEntry('apps/worker/src/main.ts', { ...process.env, ...env, LOG_LEVEL: 'info' });
    await waitForOutput(worker.output, /worker running/, 60_000, worker.done);
    api = await startTestApi(env);
    f = { api, worker: null, taskQueue: env.TEMPORAL_TASK_QUEUE, admin: bearer(api.adminKey), close: async () => undefined };
  });
  afterAll(async () => {
    await api?.close();
    worker?.child.kill('SIGTERM');
    await worker?.done;
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const runsOf = async (loopId: string) =>
    (await api.http().get(`/api/v1/runs?loopId=${loopId}&limit=500`).set(f.admin)).body as { workflowId: string; trigger: string }[];

  const scheduleInfo = async (loopId: string) => {
    const connection = await Connection.connect({ address: server.address });
    try {
      return (await new Client({ connection, namespace: NAMESPACE }).schedule.getHandle(loopScheduleId(loopId)).describe()).info;
    } finally {
      await connection.close();
    }
  };

  it('runs the missed fire once after Temporal is back within the catch-up window, and skips it for a loop whose window is shorter', async () => {
    const body = { kind: 'noop', mode: 'dry-run', actionTarget: { type: 'record' } };
    const kept = await createLoop(f, { ...body, trigger: { type: 'interval', everySeconds: EVERY_SECONDS } });
    const strict = await createLoop(f, { ...body, trigger: { type: 'interval', everySeconds: EVERY_SECONDS, catchupWindowSeconds: 10 } });

    // The next fire at least 10 s away: stop Temporal 5 s before it and bring it back 18 s after it.
    const period = EVERY_SECONDS * 1000;
    const fire = Math.ceil((Date.now() + 10_000) / period) * period;
    await sleepUntil(fire - 5_000);
    await server.stop();
    await sleepUntil(fire + 18_000);
    server = await startTemporalDevServer(serverOptions);

    const missed = <R extends { workflowId: string }>(runs: R[]) => runs.filter((r) => r.workflowId.endsWith(`-${firedAt(fire)}`));
    const caughtUp = await eventually(async () => {
      const runs = missed(await runsOf(kept.id));
      return runs.length > 0 ? runs : undefined;
    }, 'the missed fire to run', 40_000).catch((err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${worker.output().split('\n').slice(-30).join('\n')}`);
    });
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]!.trigger).toBe('schedule');

    // Late by about 20 s: inside the default window (kept below the 30 s interval), outside 10 s.
    expect((await scheduleInfo(kept.id)).numActionsMissedCatchupWindow).toBe(0);
    expect((await scheduleInfo(strict.id)).numActionsMissedCatchupWindow).toBe(1);
    expect(missed(await runsOf(strict.id))).toEqual([]);
    // Still once, a moment later (no second start of the same fire).
    await new Promise((r) => setTimeout(r, 3_000));
    expect(missed(await runsOf(kept.id))).toHaveLength(1);
  }, 150_000);
});
