/**
 * Retries sized for outages, on the real stack: a stage that fails for a reason that may pass is
 * retried (the run view says so, with the attempt and the error) and the run completes once the
 * cause is gone; a target that refuses (a 4xx) fails at once; the run sweeper settles a run whose
 * workflow was terminated, once, however many sweepers run.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, getRun, RunDetail, runNow, runReaches, startEngine } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { JsonServer, Reply, startJsonServer } from '../../integration/sources/pull-fixtures';
import { RunSweeper } from '../../../apps/worker/src/engine/run-sweep';

type Retrying = { stage: string; attempt: number; reason: string; lastError: string; nextAttemptAt: string | null };

describe('stage retries, refusals and the run sweeper', () => {
  let f: EngineFixture;
  let probe: JsonServer;
  let target: EffectTarget;
  let temporal: Client;
  let reply: () => Reply = () => ({ status: 200, body: { value: 97 } });

  beforeAll(async () => {
    probe = await startJsonServer();
    probe.handle(() => reply());
    target = await startEffectTarget();
    f = await startEngine();
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    await f.close();
    await temporal.connection.close();
    await target.close();
    await probe.close();
  });

  const probeLoop = () => createLoop(f, {
    kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
    params: { bound: 90, probe: { url: `${probe.origin}/cpu`, field: 'value', series: 'cpu' } },
  });

  it('keeps retrying a stage whose source answers 503, says so in the run view, and completes once the source is back', async () => {
    reply = () => ({ status: 503 });
    const loop = await probeLoop();
    const runId = await runNow(f, loop.id);

    const retrying = await eventually(async () => {
      const run = await getRun(f, runId) as RunDetail & { retrying: Retrying | null };
      return run.retrying && run.retrying.attempt >= 3 ? run : undefined;
    }, 'the run view to show the collect stage retrying', 30_000);
    expect(retrying.status).toBe('running');
    expect(retrying.retrying).toMatchObject({ stage: 'collect', lastError: expect.stringMatching(/answered 503/), reason: expect.stringMatching(/^last error: Probe .* answered 503/) });
    expect(retrying.statusNote).toMatch(/; retrying collect \(attempt \d+(, next try at [^)]+)?\): last error: Probe .* answered 503/);

    reply = () => ({ status: 200, body: { value: 97 } });
    const done = await runReaches(f, runId, ['completed', 'failed'], 30_000);
    expect(done.status).toBe('completed');
    expect(done.decisions.map((d) => d.decision)).toEqual(['notify']);
    const collect = done.steps.filter((s) => s.stage === 'collect');
    // Each failed attempt wrote its own row (Postgres was up), then one attempt completed.
    expect(collect.filter((s) => s.status === 'failed').length).toBeGreaterThanOrEqual(2);
    expect(collect[collect.length - 1]!.status).toBe('completed');
    expect((await getRun(f, runId) as RunDetail & { retrying: unknown }).retrying).toBeNull();
  });

  it('fails an action at once when the target refuses it with a 4xx: one request, no retries, the reason named', async () => {
    const refusing = await startJsonServer();
    refusing.handle(() => ({ status: 404, body: { error: 'no such endpoint' } }));
    try {
      const loop = await createLoop(f, {
        kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
        actionTarget: { type: 'webhook', url: `${refusing.origin}/wrong-path`, timeoutSeconds: 2, maxAttempts: 10 },
      });
      const started = Date.now();
      const runId = await runNow(f, loop.id, { readings: [{ series: 'cpu', value: 99 }] });
      const run = await runReaches(f, runId, ['completed', 'failed'], 30_000);
      const tookMs = Date.now() - started;

      expect(run.decisions[0]).toMatchObject({ actionStatus: 'failed', actionResult: { reason: expect.stringMatching(/refused the action with 404/) } });
      expect(refusing.requests).toHaveLength(1);
      // Ten attempts with backoff would take well over 30 s; a refusal is over in a few.
      expect(tookMs).toBeLessThan(10_000);
      expect(run.steps.find((s) => s.stage === 'act')).toMatchObject({ status: 'failed', error: expect.stringMatching(/1 of 1 action failed/) });
    } finally {
      await refusing.close();
    }
  });

  it('settles a run whose workflow was terminated: failed with the reason, once, however many sweepers run', async () => {
    const loop = await createLoop(f, {
      kind: 'noop', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      approval: { when: 'always', timeoutSeconds: 3600, onTimeout: 'reject' },
    });
    const runId = await runNow(f, loop.id);
    const waiting = await runReaches(f, runId, ['awaiting-approval']);
    await temporal.workflow.getHandle((waiting as RunDetail & { workflowId: string }).workflowId).terminate('stuck: ops ticket 42');

    const sweeper = f.worker!.get(RunSweeper);
    const reports = await Promise.all([sweeper.sweep({ minAgeMs: 0 }), sweeper.sweep({ minAgeMs: 0 })]);
    expect(reports.reduce((n, r) => n + r.settled, 0)).toBeGreaterThanOrEqual(1);

    const run = await getRun(f, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe("the run's workflow was terminated: stuck: ops ticket 42");
    expect(run.steps.filter((s) => s.stage === 'reconcile')).toEqual([
      expect.objectContaining({ status: 'failed', error: run.error, detail: expect.objectContaining({ by: 'run sweeper', workflow: 'terminated', was: 'awaiting-approval' }) }),
    ]);
    await sweeper.sweep({ minAgeMs: 0 });
    expect((await getRun(f, runId)).steps.filter((s) => s.stage === 'reconcile')).toHaveLength(1);
  });

  it('leaves alone a run whose workflow still runs (waiting for approval)', async () => {
    const loop = await createLoop(f, {
      kind: 'noop', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      approval: { when: 'always', timeoutSeconds: 3600, onTimeout: 'reject' },
    });
    const runId = await runNow(f, loop.id, { note: randomUUID() });
    await runReaches(f, runId, ['awaiting-approval']);
    await f.worker!.get(RunSweeper).sweep({ minAgeMs: 0 });
    const run = await getRun(f, runId);
    expect(run.status).toBe('awaiting-approval');
    expect(run.steps.map((s) => s.stage)).not.toContain('reconcile');
  });
});
