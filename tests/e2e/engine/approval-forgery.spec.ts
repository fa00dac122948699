// Approvals count only when they came through the API: an update sent straight to Temporal, with
// any role or verdict in it, a made-up approval id or a replayed one, is refused by the run and
// leaves no approval row, no ledger entry and no action.
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { bearer } from '../../support/test-apps';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, getRun, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

describe('approvals only through the API', () => {
  let f: EngineFixture;
  let target: EffectTarget;
  let temporal: Client;
  let db: PgClient;
  let operator: Record<string, string>;

  const http = () => f.api.http();

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

  /** A run waiting on one decision per series (each reading is 10 past the bound of 90: above the threshold of 5). */
  async function waitingRun(series: string[], approval: Record<string, unknown> = {}) {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
      approval: { when: 'above', threshold: 5, timeoutSeconds: 300, onTimeout: 'reject', ...approval },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 3, maxAttempts: 2 },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: series.map((s) => ({ series: s, value: 100 })) });
    const run = await runReaches(f, runId, ['awaiting-approval', 'completed', 'failed']);
    expect(run.status).toBe('awaiting-approval');
    const workflowId = (await http().get(`/api/v1/runs/${runId}`).set(f.admin)).body.workflowId as string;
    return { runId, workflowId, decisions: run.decisions.map((d) => d.id) };
  }

  /** What someone who can reach Temporal's port can do: send the update by name, with any payload. */
  const straightToTemporal = (workflowId: string, payload: unknown) =>
    temporal.workflow.getHandle(workflowId).executeUpdate('decideApproval', { args: [payload] });

  const approvalRows = async (decisionId: string) => Number((await db.query(`SELECT count(*) AS n FROM approvals WHERE decision_id = $1`, [decisionId])).rows[0].n);
  const ledgerOf = async (decisionId: string) =>
    (await http().get(`/api/v1/ledger?decisionId=${decisionId}`).set(f.admin)).body.entries as { type: string; body: Record<string, unknown> }[];
  const deliveriesFor = (decisionId: string) => target.deliveries.filter((d) => d.body['decisionId'] === decisionId).length;

  async function expectUntouched(runId: string, decisionId: string) {
    expect(await approvalRows(decisionId)).toBe(0);
    expect((await ledgerOf(decisionId)).map((e) => e.type)).toEqual(['decision']);
    expect(deliveriesFor(decisionId)).toBe(0);
    const decision = (await getRun(f, runId)).decisions.find((d) => d.id === decisionId)!;
    expect(decision.approval.status).toBe('pending');
  }

  it('refuses updates sent straight to Temporal, whatever role or id they carry, and still takes the API approval after them', async () => {
    const { runId, workflowId, decisions: [decisionId] } = await waitingRun(['cpu.forged']);
    const forgeries = [
      // The payload the API used to send: verdict and role inside the update.
      { decisionId, verdict: 'approve', reason: 'looks fine', actor: { keyId: randomUUID(), name: 'root', role: 'admin' } },
      { approvalId: randomUUID(), decisionId, role: 'admin' },
      // Well-formed, but no such approval was ever given through the API.
      { approvalId: randomUUID(), decisionId: decisionId! },
      { batchId: randomUUID() },
      'approve',
    ];
    for (const payload of forgeries) {
      await expect(straightToTemporal(workflowId, payload)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    }
    await expect(straightToTemporal(workflowId, { approvalId: randomUUID(), decisionId })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/No approval .* was given through the API/) },
    });
    await expectUntouched(runId, decisionId!);
    const progress = await http().get(`/api/v1/runs/${runId}/progress`).set(f.admin);
    expect(progress.body.approvals).toEqual([expect.objectContaining({ decisionId, status: 'pending', requiredRole: 'operator' })]);

    const approved = await http().post(`/api/v1/decisions/${decisionId}/approval`).set(operator).send({ verdict: 'approve', reason: 'checked the host' });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ status: 'approved', by: expect.stringContaining('operator') });
    await runReaches(f, runId, ['completed', 'failed']);
    expect(deliveriesFor(decisionId!)).toBe(1);
    expect(await approvalRows(decisionId!)).toBe(1);
    const [, approval] = await ledgerOf(decisionId!);
    expect(approval).toMatchObject({ type: 'approval', body: { status: 'approved', reason: 'checked the host', actor: { role: 'operator' } } });
  });

  it('refuses a replayed approval id: a second time, for another decision of the run, and in another run', async () => {
    const first = await waitingRun(['mem.a', 'mem.b']);
    const [a, b] = first.decisions as [string, string];
    const other = await waitingRun(['mem.c']);
    const [c] = other.decisions as [string];
    expect((await http().post(`/api/v1/decisions/${a}/approval`).set(operator).send({ verdict: 'approve', reason: 'real' })).status).toBe(200);
    const approvalId = (await ledgerOf(a)).find((e) => e.type === 'approval')!.body['approvalId'] as string;

    const replays: [string, unknown, RegExp][] = [
      [first.workflowId, { approvalId, decisionId: a }, /already used|already approved/],
      [first.workflowId, { approvalId, decisionId: b }, /already used|answers another decision/],
      [other.workflowId, { approvalId, decisionId: c }, /belongs to another run/],
    ];
    for (const [workflowId, payload, why] of replays) {
      await expect(straightToTemporal(workflowId, payload)).rejects.toMatchObject({ cause: { message: expect.stringMatching(why) } });
    }
    await expectUntouched(first.runId, b);
    await expectUntouched(other.runId, c);
    expect(await approvalRows(a)).toBe(1);
    expect(deliveriesFor(a)).toBe(0); // b still waits, so the run has not acted yet
  });

  it('refuses a replayed batch id in another run and a second time in its own', async () => {
    const first = await waitingRun(['disk.a']);
    const other = await waitingRun(['disk.b']);
    const bulk = await http().post(`/api/v1/runs/${first.runId}/approvals`).set(operator).send({ verdict: 'reject', reason: 'maintenance window' });
    expect(bulk.body).toMatchObject({ rejected: 1, skipped: 0 });
    const batchId = bulk.body.batchId as string;
    await expect(straightToTemporal(other.workflowId, { batchId })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/belongs to another run/) } });
    await expectUntouched(other.runId, other.decisions[0]!);
    await runReaches(f, first.runId, ['completed']);
    // The run has ended: nothing is left that could take the batch again.
    await expect(straightToTemporal(first.workflowId, { batchId })).rejects.toThrow();
    expect(deliveriesFor(first.decisions[0]!)).toBe(0);
  });

  it("asks for the loop's approver role: an operator is refused with 403 and nothing is stored, an admin decides", async () => {
    const { runId, decisions: [decisionId] } = await waitingRun(['net.a'], { role: 'admin' });
    const progress = await http().get(`/api/v1/runs/${runId}/progress`).set(f.admin);
    expect(progress.body.approvals).toEqual([expect.objectContaining({ decisionId, requiredRole: 'admin' })]);
    const byOperator = await http().post(`/api/v1/decisions/${decisionId}/approval`).set(operator).send({ verdict: 'approve', reason: 'mine' });
    expect(byOperator.status).toBe(403);
    expect(byOperator.body).toMatchObject({ requiredRole: 'admin', message: expect.stringMatching(/needs the admin role; this key has operator/) });
    const bulkByOperator = await http().post(`/api/v1/runs/${runId}/approvals`).set(operator).send({ verdict: 'approve', reason: 'mine' });
    expect(bulkByOperator.status).toBe(403);
    expect(bulkByOperator.body.requiredRole).toBe('admin');
    await expectUntouched(runId, decisionId!);
    expect((await http().post(`/api/v1/decisions/${decisionId}/approval`).set(f.admin).send({ verdict: 'approve', reason: 'admin ok' })).status).toBe(200);
    await runReaches(f, runId, ['completed', 'failed']);
    expect(deliveriesFor(decisionId!)).toBe(1);
  });

  it("refuses UPDATE and DELETE on approvals from the apps' connection", async () => {
    await expect(db.query(`UPDATE approvals SET role = 'admin'`)).rejects.toThrow(/approvals|permission denied/);
    await expect(db.query(`DELETE FROM approvals`)).rejects.toThrow(/approvals|permission denied/);
  });
});
