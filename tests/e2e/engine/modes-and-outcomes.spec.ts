import { randomUUID } from 'node:crypto';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

describe('modes, outcomes and tuning', () => {
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

  const ledgerOf = async (query: string) => (await f.api.http().get(`/api/v1/ledger?${query}`).set(f.admin)).body.entries as { type: string; body: Record<string, unknown> & { reason?: string } }[];

  it.each(['shadow', 'dry-run'])('%s mode decides and records but takes no action, and the ledger says so', async (mode) => {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode, params: { bound: 90 }, trigger: { type: 'event' },
      approval: { when: 'always', timeoutSeconds: 60, onTimeout: 'reject' },
      actionTarget: { type: 'webhook', url: target.url },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'cpu', value: 99 }] });
    const run = await runReaches(f, runId, ['completed', 'failed']);

    const decision = run.decisions[0]!;
    expect(decision).toMatchObject({ decision: 'notify', actionStatus: 'skipped', approval: { status: 'not-required' } });
    expect(target.deliveries.some((d) => d.body['loopId'] === loop.id)).toBe(false);
    const [recorded, action] = await ledgerOf(`decisionId=${decision.id}`);
    expect(recorded!.body).toMatchObject({ mode, willAct: false, noActionBecause: `${mode} mode: recorded, not acted on` });
    expect(action!.body).toMatchObject({ status: 'skipped', mode, reason: `${mode} mode: decision recorded, no action taken` });
  });

  it('measures each alert after its window, scores it, and tunes the bound within its limits', async () => {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      params: { bound: 90, outcomeWindowSeconds: 2, tuning: { minBound: 80, maxBound: 93, step: 5, targetPrecision: 0.5, window: 1 } },
    });
    const alertRun = await sendEvent(f, loop.id, 'spike', { readings: [{ series: 'cpu', value: 97 }] });
    await runReaches(f, alertRun, ['measuring', 'completed']);
    // Back to normal before the window ends: the alert was transient.
    await runReaches(f, await sendEvent(f, loop.id, 'calm', { readings: [{ series: 'cpu', value: 50 }] }), ['completed']);

    const measured = await runReaches(f, alertRun, ['completed'], 60_000);
    expect(measured.decisions[0]).toMatchObject({ outcome: { laterValue: 50, persisted: false }, score: 0 });
    expect(measured.steps.map((s) => s.stage)).toEqual(expect.arrayContaining(['outcome', 'tune']));

    const tuned = (await f.api.http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body;
    expect(tuned).toMatchObject({ paramsVersion: 2, params: { bound: 93 } });
    const [tune] = await ledgerOf(`runId=${alertRun}&type=tune`);
    expect(tune!.body).toMatchObject({ changes: { bound: { from: 90, to: 93 } }, fromParamsVersion: 1, toParamsVersion: 2 });
    expect(tune!.body.reason).toMatch(/precision 0 over the last 1 alert is below/);
    const outcomes = await ledgerOf(`runId=${alertRun}&type=outcome`);
    expect(outcomes.map((o) => o.body.score)).toEqual([0]);
  });

  it('keeps the ledger chain intact through all of the above', async () => {
    const verdict = await f.api.http().get('/api/v1/ledger/verify').set(f.admin);
    expect(verdict.status).toBe(200);
    expect(verdict.body.ok).toBe(true);
  });
});
