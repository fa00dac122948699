import { randomUUID } from 'node:crypto';
import { EffectTarget, intentHeader, startEffectTarget } from '../../support/effect-target';
import { createLoop, DecisionView, EngineFixture, runReaches, sendEvent, startEngine, TEST_OUTBOUND } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { runEntry, waitForOutput } from '../../support/spawn';
import { ACTIVITIES } from '../../../apps/worker/src/activities/activities.provider';

/** Every attempt of a decision's action carries the key of its intent. */
const keyOf = (d: DecisionView) => intentHeader(d.intentKey!);

describe('actions take effect exactly once', () => {
  let target: EffectTarget;

  beforeEach(async () => {
    target = await startEffectTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  const alertLoop = (f: EngineFixture, maxAttempts = 5) =>
    createLoop(f, {
      kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 2, maxAttempts },
    });

  describe('with an in-process worker', () => {
    let f: EngineFixture;
    beforeAll(async () => (f = await startEngine()));
    afterAll(async () => f.close());

    it('counts one effect when the reply is lost after the effect and the activity retries', async () => {
      target.misbehave('drop-reply-after-effect');
      const loop = await alertLoop(f);
      const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'x', value: 99 }] });
      const run = await runReaches(f, runId, ['completed', 'failed']);

      const decision = run.decisions[0]!;
      expect(decision.actionStatus).toBe('succeeded');
      const sent = target.deliveries.filter((d) => d.key === keyOf(decision));
      expect(sent.length).toBe(2);
      expect(target.effects.get(keyOf(decision))).toBe(1);
    });

    it('records a failed action after the retry limit and still acts on the other decisions', async () => {
      target.setDownFor('broken');
      const loop = await alertLoop(f, 2);
      const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'broken', value: 99 }, { series: 'fine', value: 95 }] });
      const run = await runReaches(f, runId, ['completed', 'failed']);

      expect(run.status).toBe('completed');
      const [broken, fine] = run.decisions;
      expect(broken!.actionStatus).toBe('failed');
      expect(broken!.actionResult.reason).toMatch(/answered 503/);
      expect(target.deliveries.filter((d) => d.key === keyOf(broken!))).toHaveLength(2);
      expect(fine!.actionStatus).toBe('succeeded');
      expect(target.effects.get(keyOf(fine!))).toBe(1);

      const ledger = await f.api.http().get(`/api/v1/ledger?decisionId=${broken!.id}&type=action`).set(f.admin);
      expect(ledger.body.entries[0].body).toMatchObject({ status: 'failed', reason: expect.stringMatching(/503/) });
    });

    it('sends nothing when the action of a confirmed decision runs again (replay or late retry)', async () => {
      const loop = await alertLoop(f);
      const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'y', value: 99 }] });
      const run = await runReaches(f, runId, ['completed', 'failed']);
      const decision = run.decisions[0]!;
      const activities = f.worker!.get<Record<string, (id: string) => Promise<unknown>>>(ACTIVITIES);
      await activities['performAction']!(decision.id);
      expect(target.deliveries.filter((d) => d.key === keyOf(decision))).toHaveLength(1);
      expect(target.effects.get(keyOf(decision))).toBe(1);
    });
  });

  describe('with a worker process killed mid-run', () => {
    let f: EngineFixture;
    beforeAll(async () => (f = await startEngine({ worker: false })));
    afterAll(async () => f.close());

    const startWorkerProcess = async () => {
      const proc = runEntry('apps/worker/src/main.ts', { ...process.env, ...TEST_OUTBOUND, TEMPORAL_TASK_QUEUE: f.taskQueue, LOG_LEVEL: 'info' });
      await waitForOutput(proc.output, /worker running/, 60_000, proc.done);
      return proc;
    };

    it('counts one effect after SIGKILL between sending and confirming, and the restarted worker finishes the run', async () => {
      target.misbehave('hang-after-effect');
      const first = await startWorkerProcess();
      const loop = await alertLoop(f);
      const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'z', value: 99 }] });
      await eventually(async () => (target.deliveries.length === 1 ? true : undefined), 'the first delivery');

      first.child.kill('SIGKILL');
      expect((await first.done).code).toBeNull();
      const second = await startWorkerProcess();
      try {
        const run = await runReaches(f, runId, ['completed', 'failed'], 90_000);
        expect(run.status).toBe('completed');
        const decision = run.decisions[0]!;
        expect(decision.actionStatus).toBe('succeeded');
        expect(target.deliveries.map((d) => d.key)).toEqual([keyOf(decision), keyOf(decision)]);
        expect(target.effects.get(keyOf(decision))).toBe(1);
      } finally {
        second.child.kill('SIGTERM');
        await second.done;
      }
    });
  });
});
