// Alert feedback through the HTTP API: people label alerts, every label is kept and ledgered,
// and each alert rule (a threshold-alert loop) reports its precision from the newest labels.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { bearer } from '../../support/test-apps';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';
import { ownerDatabaseUrl } from '../../support/scratch-database';

interface Decision {
  id: string;
  subject: string;
  decision: string;
}

describe('alert feedback: labels and precision', () => {
  let f: EngineFixture;
  let operator: Record<string, string>;
  let operatorKey: { id: string; key: string };
  let viewer: Record<string, string>;

  const http = () => f.api.http();
  const newKey = async (role: string) => {
    const res = await http().post('/api/v1/api-keys').set(f.admin).send({ name: `${role}-${randomUUID()}`, role });
    return res.body as { id: string; key: string };
  };

  /** One run of a fresh alert loop: cpu.a, cpu.b and cpu.c cross the bound of 90, cpu.d does not. */
  async function alertRun(): Promise<{ loopId: string; runId: string; alerts: Record<string, Decision> }> {
    const loop = await createLoop(f, { kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' } });
    const readings = [{ series: 'cpu.a', value: 97 }, { series: 'cpu.b', value: 95 }, { series: 'cpu.c', value: 99 }, { series: 'cpu.d', value: 40 }];
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings });
    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.status).toBe('completed');
    return { loopId: loop.id, runId, alerts: Object.fromEntries(run.decisions.map((d) => [d.subject, d])) };
  }

  const label = (decisionId: string, body: Record<string, unknown>, key = operator) => http().post(`/api/v1/decisions/${decisionId}/labels`).set(key).send(body);
  const precision = (loopId: string, key = viewer) => http().get(`/api/v1/loops/${loopId}/alert-precision`).set(key);

  beforeAll(async () => {
    f = await startEngine();
    operatorKey = await newKey('operator');
    operator = bearer(operatorKey.key);
    viewer = bearer((await newKey('viewer')).key);
  });
  afterAll(() => f.close());

  it('records an operator\'s label, answers with it, and appends it to the ledger without any secret', async () => {
    const { runId, alerts } = await alertRun();
    const res = await label(alerts['cpu.a']!.id, { label: 'true-positive', note: 'disk filled up' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      decisionId: alerts['cpu.a']!.id, label: 'true-positive', note: 'disk filled up', labelledBy: operatorKey.id, replaces: null,
      ledgerEntryKey: `label:${alerts['cpu.a']!.id}:${res.body.id}`,
    });

    const ledger = await http().get(`/api/v1/ledger?runId=${runId}&type=label`).set(f.admin);
    const entry = (ledger.body.entries as { entryKey: string; seq: number; decisionId: string; body: Record<string, unknown> }[]).find((e) => e.entryKey === res.body.ledgerEntryKey);
    expect(entry).toMatchObject({ seq: res.body.ledgerSeq, decisionId: alerts['cpu.a']!.id });
    expect(entry!.body).toMatchObject({
      feedback: 'alert-label', labelId: res.body.id, label: 'true-positive', note: 'disk filled up', replaces: null,
      labelledBy: { keyId: operatorKey.id, role: 'operator' }, policyVersion: 'threshold-alert@2', paramsVersion: 1,
    });
    expect(JSON.stringify(entry)).not.toContain(operatorKey.key);
    expect(JSON.stringify(entry)).not.toContain(f.api.adminKey);
    expect((await http().get('/api/v1/ledger/verify').set(f.admin)).body.ok).toBe(true);
  });

  it('reports precision as tp / (tp + fp), leaving "expected" alerts out of it', async () => {
    const { loopId, alerts } = await alertRun();
    expect((await label(alerts['cpu.a']!.id, { label: 'true-positive' })).status).toBe(201);
    expect((await label(alerts['cpu.b']!.id, { label: 'false-positive' })).status).toBe(201);
    expect((await label(alerts['cpu.c']!.id, { label: 'expected', note: 'planned load test' })).status).toBe(201);
    const res = await precision(loopId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      loopId, labeled: 3, truePositive: 1, falsePositive: 1, expected: 1, precision: 0.5, reason: null,
      byVersion: [{ policyVersion: 'threshold-alert@2', paramsVersion: 1, labeled: 3, truePositive: 1, falsePositive: 1, expected: 1, precision: 0.5, reason: null }],
    });
  });

  it('counts only the newest label of an alert but keeps every label, each in the ledger', async () => {
    const { loopId, runId, alerts } = await alertRun();
    const b = alerts['cpu.b']!.id;
    const first = await label(b, { label: 'false-positive' });
    const second = await label(b, { label: 'true-positive', note: 'on reflection it was real' });
    expect(second.body.replaces).toBe(first.body.id);
    expect((await precision(loopId)).body).toMatchObject({ labeled: 1, truePositive: 1, falsePositive: 0, precision: 1 });

    const history = await http().get(`/api/v1/decisions/${b}/labels`).set(viewer);
    expect(history.status).toBe(200);
    expect((history.body as { id: string; label: string }[]).map((l) => [l.id, l.label])).toEqual([[first.body.id, 'false-positive'], [second.body.id, 'true-positive']]);
    const ledger = await http().get(`/api/v1/ledger?runId=${runId}&decisionId=${b}`).set(f.admin);
    expect((ledger.body.entries as { entryKey: string }[]).map((e) => e.entryKey).filter((k) => k.startsWith('label:'))).toEqual([
      `label:${b}:${first.body.id}`, `label:${b}:${second.body.id}`,
    ]);
  });

  it('refuses to change or delete a stored label: the table is append-only', async () => {
    const { alerts } = await alertRun();
    const made = await label(alerts['cpu.a']!.id, { label: 'false-positive' });
    // As the schema owner: the apps' own role lacks UPDATE and DELETE on it before any trigger runs.
    const db = new Client({ connectionString: ownerDatabaseUrl() });
    await db.connect();
    try {
      await expect(db.query(`UPDATE alert_labels SET label = 'true-positive' WHERE id = $1`, [made.body.id])).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM alert_labels WHERE id = $1`, [made.body.id])).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  });

  it('gives precision null with a reason until a true or false positive is labelled', async () => {
    const { loopId, alerts } = await alertRun();
    expect((await precision(loopId)).body).toMatchObject({ labeled: 0, precision: null, reason: 'no alert has been labelled yet', byVersion: [] });
    await label(alerts['cpu.c']!.id, { label: 'expected' });
    expect((await precision(loopId)).body).toMatchObject({ labeled: 1, expected: 1, precision: null, reason: expect.stringMatching(/every labelled alert is labelled expected/) });
  });

  it('breaks precision down by the params version of the run that raised each alert', async () => {
    const { loopId, alerts } = await alertRun();
    await label(alerts['cpu.b']!.id, { label: 'false-positive' });
    const patched = await http().patch(`/api/v1/loops/${loopId}`).set(f.admin).send({ params: { bound: 96 } });
    expect(patched.body.paramsVersion).toBe(2);
    const runId = await sendEvent(f, loopId, randomUUID(), { readings: [{ series: 'cpu.a', value: 98 }] });
    const run = await runReaches(f, runId, ['completed', 'failed']);
    await label(run.decisions[0]!.id, { label: 'true-positive' });
    const res = await precision(loopId);
    expect(res.body).toMatchObject({ labeled: 2, precision: 0.5 });
    expect(res.body.byVersion).toEqual([
      expect.objectContaining({ policyVersion: 'threshold-alert@2', paramsVersion: 1, falsePositive: 1, truePositive: 0, precision: 0 }),
      expect.objectContaining({ policyVersion: 'threshold-alert@2', paramsVersion: 2, falsePositive: 0, truePositive: 1, precision: 1 }),
    ]);
  });

  describe('refusals', () => {
    let alerts: Record<string, Decision>;
    let loopId: string;
    beforeAll(async () => {
      ({ alerts, loopId } = await alertRun());
    });

    it('needs the operator role to label and the viewer role to read, with a key either way', async () => {
      const byViewer = await label(alerts['cpu.a']!.id, { label: 'true-positive' }, viewer);
      expect(byViewer.status).toBe(403);
      expect(byViewer.body.message).toMatch(/needs the operator role/);
      expect((await http().post(`/api/v1/decisions/${alerts['cpu.a']!.id}/labels`).send({ label: 'true-positive' })).status).toBe(401);
      expect((await http().get(`/api/v1/loops/${loopId}/alert-precision`)).status).toBe(401);
      expect((await precision(loopId, viewer)).status).toBe(200);
    });

    it('answers 404 for an unknown decision or loop, and 400 for an id that is not a uuid', async () => {
      const missing = randomUUID();
      const res = await label(missing, { label: 'true-positive' });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`No decision with id ${missing}`);
      expect((await http().get(`/api/v1/decisions/${missing}/labels`).set(viewer)).status).toBe(404);
      expect((await precision(missing)).status).toBe(404);
      expect((await label('not-a-uuid', { label: 'true-positive' })).status).toBe(400);
    });

    it('answers 409 for a decision that raised no alert', async () => {
      const res = await label(alerts['cpu.d']!.id, { label: 'false-positive' });
      expect(res.status).toBe(409);
      expect(res.body.message).toBe(`Decision ${alerts['cpu.d']!.id} is 'hold': no alert was raised, so there is nothing to label`);
    });

    it('answers 409 for a decision or a loop of a kind that raises no alerts', async () => {
      const noop = await createLoop(f, { kind: 'noop', mode: 'live', trigger: { type: 'event' }, params: { decisions: 1 } });
      const run = await runReaches(f, await sendEvent(f, noop.id, randomUUID(), {}), ['completed', 'failed']);
      const res = await label(run.decisions[0]!.id, { label: 'true-positive' });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/A noop loop raises no alerts; labels and precision apply to alerting kinds \(threshold-alert\)/);
      expect((await precision(noop.id)).status).toBe(409);
    });

    it('answers 400 naming the field for a bad label or note, and stores nothing', async () => {
      const res = await label(alerts['cpu.a']!.id, { label: 'maybe', note: '' });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['label', 'note']);
      const extra = await label(alerts['cpu.a']!.id, { label: 'true-positive', by: 'someone else' });
      expect(extra.status).toBe(400);
      expect((await http().get(`/api/v1/decisions/${alerts['cpu.a']!.id}/labels`).set(viewer)).body).toEqual([]);
    });
  });
});
