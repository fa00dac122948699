/**
 * One effect per business intent, on the real stack: runs that decide the same alert share one
 * intent key and one Idempotency-Key; the second decision is recorded as a duplicate and sends
 * nothing; a receiver's 409 for a key it has counts as delivered; an intent whose decision gave
 * up is sent again by the next run under the same key; a row a crash left `sending` is re-sent
 * by the effect sweep under the same key.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { EffectSweeper } from '../../../apps/worker/src/engine/effect-sweep';
import { EffectTarget, intentHeader, startEffectTarget } from '../../support/effect-target';
import { createLoop, DecisionView, EngineFixture, getRun, runReaches, sendEvent, startEngine, TEST_OUTBOUND } from '../../support/engine-fixture';
import { startTestWorker, uniqueTaskQueue } from '../../support/test-apps';
import { eventually } from '../../support/eventually';

/** 30-day windows: two events a few seconds apart share one, whatever the clock says. */
const WIDE_WINDOW = 30 * 86_400;

describe('one effect per business intent', () => {
  let f: EngineFixture;
  let target: EffectTarget;
  let db: PgClient;
  let temporal: Client;

  beforeAll(async () => {
    f = await startEngine();
    db = new PgClient({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  beforeEach(async () => {
    target = await startEffectTarget();
  });
  afterEach(() => target.close());
  afterAll(async () => {
    await temporal.connection.close();
    await db.end();
    await f.close();
  });

  const alertLoop = (over: { timeoutSeconds?: number; maxAttempts?: number } = {}) => createLoop(f, {
    kind: 'threshold-alert', mode: 'live', params: { bound: 90, alertWindowSeconds: WIDE_WINDOW }, trigger: { type: 'event' },
    actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: over.timeoutSeconds ?? 3, maxAttempts: over.maxAttempts ?? 3 },
  });
  const alertRun = async (loopId: string, value = 97) => {
    const runId = await sendEvent(f, loopId, randomUUID(), { readings: [{ series: 'cpu.eu', value }] });
    return (await runReaches(f, runId, ['completed', 'failed'])).decisions[0]!;
  };
  const ledgerAction = async (decisionId: string) =>
    ((await f.api.http().get(`/api/v1/ledger?decisionId=${decisionId}&type=action`).set(f.admin)).body.entries as { body: Record<string, unknown> }[])[0]?.body;
  const sentFor = (d: DecisionView) => target.deliveries.filter((x) => x.key === intentHeader(d.intentKey!));

  it('sends two alerts for one series in one window once: the second decision is a recorded duplicate of the first', async () => {
    const loop = await alertLoop();
    const first = await alertRun(loop.id, 97);
    const second = await alertRun(loop.id, 99);

    expect(first).toMatchObject({ actionStatus: 'succeeded', duplicateOf: null, idempotencyKey: intentHeader(first.intentKey!) });
    expect(second).toMatchObject({ decision: 'notify', actionStatus: 'duplicate', duplicateOf: first.id, intentKey: first.intentKey });
    expect(second.actionResult.reason).toMatch(new RegExp(`^duplicate of decision ${first.id}: the same intent was already delivered`));
    // Counted at the receiver by key and by intent: one request, one effect.
    expect(target.deliveries).toHaveLength(1);
    expect(sentFor(first)).toHaveLength(1);
    expect(target.intents.get(first.intentKey!)).toBe(1);
    expect(await ledgerAction(second.id)).toMatchObject({
      status: 'duplicate', duplicateOf: first.id, intentKey: first.intentKey, idempotencyKey: intentHeader(first.intentKey!),
    });
    const decided = (await f.api.http().get(`/api/v1/ledger?decisionId=${second.id}&type=decision`).set(f.admin)).body.entries[0].body;
    expect(decided.intentKey).toBe(first.intentKey);
  });

  it('lets only one of two runs deciding the same alert at the same moment send it', async () => {
    const loop = await alertLoop();
    const [a, b] = await Promise.all([alertRun(loop.id), alertRun(loop.id)]);
    expect([a.actionStatus, b.actionStatus].sort()).toEqual(['duplicate', 'succeeded']);
    const [sender, dup] = a.actionStatus === 'succeeded' ? [a, b] : [b, a];
    expect(dup.duplicateOf).toBe(sender.id);
    expect(target.intents.get(sender.intentKey!)).toBe(1);
    expect(target.deliveries).toHaveLength(1);
  });

  it('counts a 409 Conflict for a key the receiver already has as delivered', async () => {
    target.answerDuplicatesWith(409);
    target.misbehave('drop-reply-after-effect');
    const loop = await alertLoop();
    const d = await alertRun(loop.id);

    expect(d.actionStatus).toBe('succeeded');
    expect(d.actionResult).toMatchObject({ status: 409, alreadyHad: true });
    expect(sentFor(d)).toHaveLength(2);
    expect(target.effects.get(intentHeader(d.intentKey!))).toBe(1);
    expect(await ledgerAction(d.id)).toMatchObject({ status: 'succeeded', response: { status: 409, alreadyHad: true } });
  });

  it('sends an intent whose first decision gave up with the next run, under the same key', async () => {
    target.setDown(true);
    const loop = await alertLoop({ maxAttempts: 1 });
    const failed = await alertRun(loop.id);
    expect(failed.actionStatus).toBe('failed');
    target.setDown(false);

    const retried = await alertRun(loop.id);
    expect(retried).toMatchObject({ actionStatus: 'succeeded', duplicateOf: null, intentKey: failed.intentKey });
    expect(await ledgerAction(retried.id)).toMatchObject({ status: 'succeeded', tookOverFrom: failed.id, attempts: 1 });
    expect(target.deliveries.map((x) => x.key)).toEqual([intentHeader(failed.intentKey!), intentHeader(failed.intentKey!)]);
    expect(target.intents.get(failed.intentKey!)).toBe(1);
  });

  describe('effects left sending by a crash', () => {
    /** A run whose first send hangs at the receiver, then its workflow is terminated: nothing will retry it. */
    async function abandonedSend(): Promise<{ runId: string; decisionId: string }> {
      target.misbehave('hang-after-effect');
      const loop = await alertLoop({ timeoutSeconds: 5, maxAttempts: 3 });
      const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'cpu.eu', value: 97 }] });
      await eventually(async () => (target.deliveries.length === 1 ? true : undefined), 'the first send');
      const run = (await f.api.http().get(`/api/v1/runs/${runId}`).set(f.admin)).body as { workflowId: string; decisions: DecisionView[] };
      await temporal.workflow.getHandle(run.workflowId).terminate('the worker and its run are gone');
      return { runId, decisionId: run.decisions[0]!.id };
    }
    // Stands for the stale interval (target timeout + 35 s) passing without another attempt.
    const makeStale = (decisionId: string) => db.query(`UPDATE action_effects SET stale_at = now() - interval '1 second' WHERE decision_id = $1 AND status = 'sending'`, [decisionId]);
    const sweep = () => f.worker!.get(EffectSweeper).sweep();

    it('re-sends a stale sending row under the same key and records the action delivered', async () => {
      const { runId, decisionId } = await abandonedSend();
      await makeStale(decisionId);
      await sweep();

      const d = await eventually(async () => {
        const found = (await getRun(f, runId)).decisions[0]!;
        return found.actionStatus === 'succeeded' ? found : undefined;
      }, 'the swept action to be recorded');
      expect(target.deliveries.map((x) => x.key)).toEqual([intentHeader(d.intentKey!), intentHeader(d.intentKey!)]);
      expect(target.effects.get(intentHeader(d.intentKey!))).toBe(1);
      expect(await ledgerAction(decisionId)).toMatchObject({ status: 'succeeded', reconciledBy: 'effect sweep', idempotencyKey: intentHeader(d.intentKey!) });
      const [effect] = (await db.query(`SELECT status, sweeps FROM action_effects WHERE decision_id = $1`, [decisionId])).rows;
      expect(effect).toEqual({ status: 'confirmed', sweeps: 1 });
    });

    it('re-sends stale rows when a worker starts, before its first minute is up', async () => {
      const { runId, decisionId } = await abandonedSend();
      await makeStale(decisionId);
      const late = await startTestWorker({ ...TEST_OUTBOUND, TEMPORAL_TASK_QUEUE: uniqueTaskQueue() });
      try {
        const d = await eventually(async () => {
          const found = (await getRun(f, runId)).decisions[0]!;
          return found.actionStatus === 'succeeded' ? found : undefined;
        }, 'the starting worker to re-send the stale row', 20_000);
        expect(sentFor(d)).toHaveLength(2);
        expect(target.effects.get(intentHeader(d.intentKey!))).toBe(1);
      } finally {
        await late.close();
      }
    });

    it('leaves a stale row whose target stays down failed for a person after five re-sends', async () => {
      const { runId, decisionId } = await abandonedSend();
      target.setDown(true);
      const d = await eventually(async () => {
        await makeStale(decisionId);
        await sweep();
        const found = (await getRun(f, runId)).decisions[0]!;
        return found.actionStatus === 'failed' ? found : undefined;
      }, 'the sweep to give up', 60_000);
      expect(d.actionResult.reason).toMatch(/answered 503; still not delivered after \d+ re-sends by the effect sweep: needs a person/);
      expect(await ledgerAction(decisionId)).toMatchObject({ status: 'failed', reason: d.actionResult.reason });
      expect(target.effects.get(intentHeader(d.intentKey!))).toBe(1);
    });
  });
});
