// A threshold-alert loop with the anomaly detector, driven through the HTTP API: the event
// carries each series' history, the worker judges the newest value against it, and the
// decision and its ledger entry hold the values, the method, z and the explanation.
import { randomUUID } from 'node:crypto';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

// Hourly requests per minute with a daily cycle; four days of history per series.
const DAY = [40, 38, 37, 36, 36, 38, 45, 55, 65, 70, 72, 73, 74, 73, 72, 70, 68, 66, 62, 58, 52, 48, 45, 42];
const history = (scale: number) => Array.from({ length: 96 }, (_, t) => scale * (DAY[t % 24]! + 0.8 * Math.sin(t * 12.9898)));

describe('threshold-alert loop with detector "anomaly"', () => {
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

  it('flags the spiking series from the history in the event, notifies once, and records the evidence', async () => {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' },
      params: { detector: 'anomaly', anomaly: { seasonPeriod: 24 } },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 3, maxAttempts: 3 },
    });
    expect(loop).toMatchObject({ policyVersion: 'threshold-alert@2', params: { detector: 'anomaly', anomaly: { seasonPeriod: 24 } } });
    // Hour 0 normally sees about 40; eu jumps to 75, us stays at its usual 2 × 40.
    const runId = await sendEvent(f, loop.id, randomUUID(), {
      readings: [{ series: 'rpm.eu', value: 75, history: history(1) }, { series: 'rpm.us', value: 80.5, history: history(2) }],
    });
    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.status).toBe('completed');
    expect(run.decisions.map((d) => [d.subject, d.decision, d.actionStatus])).toEqual([['rpm.eu', 'notify', 'succeeded'], ['rpm.us', 'hold', 'none']]);

    const eu = (await f.api.http().get(`/api/v1/decisions/${run.decisions[0]!.id}`).set(f.admin)).body;
    expect(eu.inputs).toMatchObject({
      detector: 'anomaly', source: 'event', reading: { series: 'rpm.eu', value: 75 }, metric: null,
      threshold: 3.5, direction: 'both', seasonPeriod: 24, seasonSource: 'given', explanation: eu.explanation,
    });
    expect(eu.inputs.values).toEqual([...history(1), 75]);
    expect(eu.inputs.z).toBeGreaterThan(3.5);
    expect(eu.inputs.expected).toBeGreaterThan(35);
    expect(eu.inputs.expected).toBeLessThan(45);
    expect(eu.inputs.method).toMatch(/robust seasonal decomposition \(season 24, given/);
    expect(eu.explanation).toMatch(/^Notify: rpm\.eu reads 75, above its normal range \(expected \d+(\.\d+)?\)\. z = \d+(\.\d+)? against the threshold 3\.5\.$/);
    expect(eu.magnitude).toBeCloseTo(eu.inputs.z, 6);
    expect(target.deliveries).toHaveLength(1);
    expect(target.deliveries[0]!.body).toMatchObject({ subject: 'rpm.eu', decision: 'notify' });

    const ledger = await f.api.http().get(`/api/v1/ledger?runId=${runId}&type=decision`).set(f.admin);
    const entry = (ledger.body.entries as { decisionId: string; body: Record<string, unknown> }[]).find((e) => e.decisionId === eu.id)!;
    expect(entry.body).toMatchObject({ policyVersion: 'threshold-alert@2', explanation: eu.explanation, inputs: { z: eu.inputs.z, method: eu.inputs.method, values: eu.inputs.values } });
  });

  it('holds a reading that came without history and says so in the decision and the quality report', async () => {
    const loop = await createLoop(f, { kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, params: { detector: 'anomaly' } });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'rpm.eu', value: 75 }] });
    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.decisions.map((d) => d.decision)).toEqual(['hold']);
    const d = (await f.api.http().get(`/api/v1/decisions/${run.decisions[0]!.id}`).set(f.admin)).body;
    expect(d.explanation).toBe('No alert: rpm.eu reads 75 and cannot be judged: needs at least 7 history points, has 0.');
    const quality = (run.steps as { stage: string; status: string; detail?: { checks?: unknown[] } }[]).find((s) => s.stage === 'quality' && s.status === 'completed');
    expect(quality?.detail?.checks).toContainEqual({ name: 'history-present', ok: false, message: 'no history for: rpm.eu' });
  });

  it('leaves a loop pinned to threshold-alert@1 deciding by its bound, as before', async () => {
    const loop = await createLoop(f, { kind: 'threshold-alert', policyVersion: 'threshold-alert@1', mode: 'live', trigger: { type: 'event' }, params: { bound: 90 } });
    const run = await runReaches(f, await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'cpu', value: 97, history: history(1) }] }), ['completed', 'failed']);
    const d = (await f.api.http().get(`/api/v1/decisions/${run.decisions[0]!.id}`).set(f.admin)).body;
    expect(d).toMatchObject({ decision: 'notify', magnitude: 7, explanation: 'Notify: cpu reads 97, above the bound 90 by 7.' });
    expect(d.inputs).toMatchObject({ bound: 90, direction: 'above', source: 'event' });
  });

  it('refuses anomaly configs that cannot work, naming the field', async () => {
    const create = (params: Record<string, unknown>) => f.api.http().post('/api/v1/loops').set(f.admin).send({ name: 'bad', kind: 'threshold-alert', trigger: { type: 'event' }, params });
    const noHistory = await create({ detector: 'anomaly', metric: { key: 'requests' } });
    expect(noHistory.status).toBe(400);
    expect(noHistory.body.errors.map((e: { field: string }) => e.field)).toContain('params.anomaly.history');
    const window = await create({ detector: 'anomaly', anomaly: { seasonPeriod: 24 }, outcomeWindowSeconds: 60 });
    expect(window.status).toBe(400);
    expect(window.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.outcomeWindowSeconds']);
    const badEvent = await f.api.http().post(`/api/v1/loops/${(await createLoop(f, { kind: 'threshold-alert', trigger: { type: 'event' }, params: { detector: 'anomaly' } })).id}/events`)
      .set(f.admin).send({ eventId: randomUUID(), payload: { readings: [{ series: 'x', value: 1, history: [1, 'two'] }] } });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.errors.map((e: { field: string }) => e.field)).toEqual(['payload.readings.0.history']);
  });
});
