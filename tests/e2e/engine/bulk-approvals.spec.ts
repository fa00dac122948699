// Bulk verdicts: one request approves or rejects all of a run's waiting decisions, or those a
// filter matches, with one transaction and one Temporal update however many there are.
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { bearer } from '../../support/test-apps';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

describe('bulk approvals of a run', () => {
  let f: EngineFixture;
  let target: EffectTarget;
  let temporal: Client;
  let db: PgClient;
  let operator: Record<string, string>;

  const http = () => f.api.http();
  const bulk = (runId: string, body: Record<string, unknown>, key = operator) => http().post(`/api/v1/runs/${runId}/approvals`).set(key).send(body);

  beforeAll(async () => {
    target = await startEffectTarget();
    f = await startEngine();
    temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
    db = new PgClient({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const key = await http().post('/api/v1/api-keys').set(f.admin).send({ name: `operator-${randomUUID()}`, role: 'operator' });
    operator = bearer(key.body.key as string);
  });
  afterAll(async () => {
    await db.end();
    await temporal.connection.close();
    await f.close();
    await target.close();
  });

  /** A run waiting on one decision per reading (bound 90, threshold 5: every value above 95 waits). */
  async function waitingRun(readings: { series: string; value: number }[], approval: Record<string, unknown> = {}) {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
      approval: { when: 'above', threshold: 5, timeoutSeconds: 300, onTimeout: 'reject', ...approval },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 5, maxAttempts: 2 },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings });
    const run = await runReaches(f, runId, ['awaiting-approval', 'completed', 'failed'], 90_000);
    expect(run.status).toBe('awaiting-approval');
    const workflowId = (await http().get(`/api/v1/runs/${runId}`).set(f.admin)).body.workflowId as string;
    return { runId, workflowId, decisions: Object.fromEntries(run.decisions.map((d) => [d.subject, d.id])) as Record<string, string> };
  }

  const deliveriesFor = (decisionId: string) => target.deliveries.filter((d) => d.body['decisionId'] === decisionId).length;
  const updatesIn = async (workflowId: string) =>
    (await temporal.workflow.getHandle(workflowId).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;

  it('approves 300 waiting decisions in one request and one update, and each is acted on once', async () => {
    const readings = Array.from({ length: 300 }, (_, i) => ({ series: `bulk.${i}`, value: 100 + (i % 7) }));
    const { runId, workflowId, decisions } = await waitingRun(readings);
    const started = Date.now();
    const res = await bulk(runId, { verdict: 'approve', reason: 'all checked together' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId, verdict: 'approve', approved: 300, rejected: 0, skipped: 0, skips: [] });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await updatesIn(workflowId)).toBe(1);

    const run = await runReaches(f, runId, ['completed', 'failed'], 90_000);
    expect(run.decisions.every((d) => d.approval.status === 'approved' && d.actionStatus === 'succeeded')).toBe(true);
    for (const id of Object.values(decisions)) expect(deliveriesFor(id)).toBe(1);
    const stored = await db.query(`SELECT count(*)::int AS n, count(DISTINCT batch_id)::int AS batches FROM approvals WHERE run_id = $1`, [runId]);
    expect(stored.rows[0]).toEqual({ n: 300, batches: 1 });
    const approvals = await http().get(`/api/v1/ledger?runId=${runId}&type=approval&limit=500`).set(f.admin);
    expect(approvals.body.entries).toHaveLength(300);
    expect(new Set(approvals.body.entries.map((e: { decisionId: string }) => e.decisionId)).size).toBe(300);
  });

  it('decides only what a filter matches, accounts for every id it names, and rejects the rest in a second request', async () => {
    // Distances past the bound: 6, 8, 12, 20, 30.
    const values: Record<string, number> = { 'sku.a': 96, 'sku.b': 98, 'sku.c': 102, 'sku.d': 110, 'sku.e': 120 };
    const { runId, workflowId, decisions } = await waitingRun(Object.entries(values).map(([series, value]) => ({ series, value })));

    const bySubject = await bulk(runId, { verdict: 'approve', reason: 'known items', filter: { subjects: ['sku.a', 'sku.b'] } });
    expect(bySubject.body).toMatchObject({ approved: 2, rejected: 0, skipped: 0 });

    const big = await bulk(runId, { verdict: 'approve', reason: 'large ones', filter: { magnitudeAbove: 10, magnitudeBelow: 25 } });
    expect(big.body).toMatchObject({ approved: 2, skipped: 0 });

    const stranger = randomUUID();
    const named = await bulk(runId, { verdict: 'approve', reason: 'again', filter: { decisionIds: [decisions['sku.a'], stranger] } });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ batchId: null, approved: 0, skipped: 2 });
    expect(named.body.skips).toEqual([
      { decisionId: decisions['sku.a'], subject: 'sku.a', reason: expect.stringMatching(/already approved by operator-/) },
      { decisionId: stranger, subject: null, reason: expect.stringMatching(/not a decision of this run/) },
    ]);

    const rest = await bulk(runId, { verdict: 'reject', reason: 'too much at once' });
    expect(rest.body).toMatchObject({ approved: 0, rejected: 1, skipped: 4 });
    expect(rest.body.skips.map((s: { subject: string }) => s.subject)).toEqual(['sku.a', 'sku.b', 'sku.c', 'sku.d']);

    const run = await runReaches(f, runId, ['completed', 'failed']);
    const status = Object.fromEntries(run.decisions.map((d) => [d.subject, [d.approval.status, d.actionStatus]]));
    expect(status).toEqual({
      'sku.a': ['approved', 'succeeded'], 'sku.b': ['approved', 'succeeded'], 'sku.c': ['approved', 'succeeded'],
      'sku.d': ['approved', 'succeeded'], 'sku.e': ['rejected', 'skipped'],
    });
    expect(deliveriesFor(decisions['sku.e']!)).toBe(0);
    // Three requests reached the run; the one that matched nothing decidable sent no update.
    expect(await updatesIn(workflowId)).toBe(3);
  });

  it('refuses an operator when every matching decision needs an admin, and refuses bad input by field', async () => {
    const { runId, decisions } = await waitingRun([{ series: 'esc.a', value: 100 }], { role: 'admin' });
    const asOperator = await bulk(runId, { verdict: 'approve', reason: 'mine' });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body).toMatchObject({ statusCode: 403, requiredRole: 'admin', message: expect.stringMatching(/needs the admin role/) });
    expect((await db.query(`SELECT count(*)::int AS n FROM approvals WHERE run_id = $1`, [runId])).rows[0].n).toBe(0);

    const bad = await bulk(runId, { verdict: 'approve', reason: 'x', filter: { decisionIds: ['nope'], magnitudeAbove: 'big', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['filter.colour', 'filter.decisionIds', 'filter.magnitudeAbove']);
    expect((await bulk(runId, { verdict: 'maybe', reason: 'x' })).body.errors).toEqual([expect.objectContaining({ field: 'verdict' })]);
    expect((await bulk(randomUUID(), { verdict: 'approve', reason: 'x' })).status).toBe(404);
    expect((await bulk(runId, { verdict: 'approve', reason: 'x' }, bearer('olk_nobody'))).status).toBe(401);

    const asAdmin = await bulk(runId, { verdict: 'approve', reason: 'admin ok', filter: { decisionIds: [decisions['esc.a']] } }, f.admin);
    expect(asAdmin.body).toMatchObject({ approved: 1, skipped: 0 });
  });
});
