/**
 * A worker process killed with SIGKILL in the middle of the collect stage: the stage heartbeats,
 * so Temporal notices the lost worker within its heartbeat timeout and another worker retries it
 * within 30 s (not after the stage's start-to-close timeout), and the run's timeline closes the
 * attempt that never finished as `abandoned`, naming the lost worker.
 */
import { INestApplicationContext } from '@nestjs/common';
import { createLoop, EngineFixture, runNow, runReaches, startEngine, TEST_OUTBOUND } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { runEntry, waitForOutput } from '../../support/spawn';
import { startTestWorker } from '../../support/test-apps';
import { JsonServer, startJsonServer } from '../../integration/sources/pull-fixtures';

describe('a worker lost in the middle of a stage', () => {
  let f: EngineFixture;
  let probe: JsonServer;
  let second: INestApplicationContext | null = null;

  beforeAll(async () => {
    probe = await startJsonServer();
    f = await startEngine({ worker: false });
  });
  afterAll(async () => {
    await f.close();
    await second?.close();
    await probe.close();
  });

  it('retries the stage on another worker within 30 s of a SIGKILL and records the lost attempt as abandoned', async () => {
    // The first read hangs, so the first worker is inside collect when it is killed; later reads answer.
    probe.handle(() => (probe.requests.length === 1 ? { status: 200, body: { value: 97 }, delayMs: 8_000 } : { status: 200, body: { value: 97 } }));
    const first = runEntry('apps/worker/src/main.ts', { ...process.env, ...TEST_OUTBOUND, TEMPORAL_TASK_QUEUE: f.taskQueue, LOG_LEVEL: 'info' });
    await waitForOutput(first.output, /worker running/, 60_000, first.done);
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      params: { bound: 90, probe: { url: `${probe.origin}/cpu`, field: 'value', series: 'cpu' } },
    });
    const runId = await runNow(f, loop.id);
    await eventually(async () => (probe.requests.length >= 1 ? true : undefined), 'the first worker to be inside collect');

    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await first.done).code).toBeNull();
    second = await startTestWorker({ TEMPORAL_TASK_QUEUE: f.taskQueue, ...TEST_OUTBOUND });

    const run = await runReaches(f, runId, ['completed', 'failed'], 60_000);
    expect(run.status).toBe('completed');
    const collect = run.steps.filter((s) => s.stage === 'collect').map((s) => ({ ...s, attempt: (s as unknown as { attempt: number }).attempt }));
    expect(collect.map((s) => [s.status, s.attempt])).toEqual([['started', 1], ['abandoned', 1], ['started', 2], ['completed', 2]]);
    expect(collect[1]!.error).toMatch(/^attempt 1 ended without finishing: worker lost: no heartbeat for 20 s/);
    expect(collect[1]!.detail).toMatchObject({ attempts: { from: 1, to: 1 } });
    const retriedAfterMs = Date.parse(collect[2]!.at) - killedAt;
    expect(retriedAfterMs).toBeLessThan(30_000);
    expect(run.decisions.map((d) => d.decision)).toEqual(['notify']);
    process.stdout.write(`collect retried ${(retriedAfterMs / 1000).toFixed(1)} s after the SIGKILL\n`);
  }, 120_000);
});
