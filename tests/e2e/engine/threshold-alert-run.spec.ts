import { randomUUID } from 'node:crypto';
import { EffectTarget, intentHeader, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

describe('threshold-alert loop run: event → stages → decisions → webhook → ledger', () => {
  let f: EngineFixture;
  let target: EffectTarget;

  beforeAll(async () => {
    target = await startEffectTarget();
    f = await startEngine();
  });
  afterAll(async () => {
    await f.close();
    await target.close();
  });

  it('notifies the webhook once per crossing reading and records every decision in the ledger', async () => {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', params: { bound: 90, direction: 'above' },
      trigger: { type: 'event' }, actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 3, maxAttempts: 3 },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'cpu.eu', value: 97 }, { series: 'cpu.us', value: 40 }] });
    const run = await runReaches(f, runId, ['completed', 'failed']);

    expect(run.status).toBe('completed');
    expect(run.decisions.map((d) => [d.subject, d.decision, d.actionStatus])).toEqual([
      ['cpu.eu', 'notify', 'succeeded'],
      ['cpu.us', 'hold', 'none'],
    ]);
    expect(run.steps.filter((s) => s.status === 'completed').map((s) => s.stage)).toEqual(['collect', 'quality', 'evaluate', 'decide', 'act']);
    const notify = run.decisions[0]!;
    expect(target.effects.get(intentHeader(notify.intentKey!))).toBe(1);
    expect(notify.intentKey).toMatch(new RegExp(`^${loop.id}:alert:cpu\\.eu:\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A00%3A00Z%2F`));
    expect(target.deliveries).toHaveLength(1);
    expect(target.deliveries[0]!.body).toMatchObject({ decisionId: notify.id, subject: 'cpu.eu', decision: 'notify' });

    const ledger = await f.api.http().get(`/api/v1/ledger?runId=${runId}`).set(f.admin);
    expect(ledger.status).toBe(200);
    const types = (ledger.body.entries as { type: string; decisionId: string }[]).map((e) => `${e.type}:${e.decisionId === notify.id ? 'notify' : 'hold'}`);
    expect(types).toEqual(['decision:notify', 'decision:hold', 'action:notify']);
  });

  it('lists the loop kinds a user can configure', async () => {
    const res = await f.api.http().get('/api/v1/loop-kinds').set(f.admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'threshold-alert', policyVersions: ['threshold-alert@1', 'threshold-alert@2'], acceptsEvents: true }),
      expect.objectContaining({ name: 'noop', policyVersions: ['noop@1'], acceptsEvents: false }),
    ]));
  });

  it('lists runs filtered by loop, status and start time', async () => {
    const loop = await createLoop(f, { kind: 'noop', mode: 'live', trigger: { type: 'event' }, params: { decisions: 0 } });
    const before = new Date().toISOString();
    const runId = await sendEvent(f, loop.id, 'only', {});
    await runReaches(f, runId, ['completed']);
    const list = (query: string) => f.api.http().get(`/api/v1/runs?loopId=${loop.id}&${query}`).set(f.admin).then((r) => r.body as { id: string }[]);

    expect((await list('status=completed')).map((r) => r.id)).toEqual([runId]);
    expect(await list('status=failed')).toEqual([]);
    expect((await list(`from=${encodeURIComponent(before)}`)).map((r) => r.id)).toEqual([runId]);
    expect(await list(`to=${encodeURIComponent(before)}`)).toEqual([]);
    const bad = await f.api.http().get('/api/v1/runs?status=sleeping&from=yesterday').set(f.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'status']);
  });
});
