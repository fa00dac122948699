import { randomUUID } from 'node:crypto';
import { bearer } from '../../support/test-apps';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { createLoop, EngineFixture, getRun, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';

describe('approvals: a person approves, rejects, or the timeout decides', () => {
  let f: EngineFixture;
  let target: EffectTarget;
  let operator: Record<string, string>;
  let viewer: Record<string, string>;

  const newKey = async (role: string) => {
    const res = await f.api.http().post('/api/v1/api-keys').set(f.admin).send({ name: `${role}-${randomUUID()}`, role });
    return bearer(res.body.key as string);
  };

  beforeAll(async () => {
    target = await startEffectTarget();
    f = await startEngine();
    operator = await newKey('operator');
    viewer = await newKey('viewer');
  });
  afterAll(async () => {
    await f.close();
    await target.close();
  });

  /** Readings 100 (10 past the bound: needs a person) and 92 (2 past: below the threshold of 5). */
  async function startRun(approval: Record<string, unknown>) {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
      approval: { when: 'above', threshold: 5, ...approval },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 3, maxAttempts: 3 },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'big', value: 100 }, { series: 'small', value: 92 }] });
    const run = await runReaches(f, runId, ['awaiting-approval', 'completed', 'failed']);
    const [big, small] = run.decisions as { id: string; approval: { status: string } }[];
    return { runId, big: big!, small: small! };
  }

  const decide = (id: string, key: Record<string, string>, verdict: string, reason = 'checked the numbers') =>
    f.api.http().post(`/api/v1/decisions/${id}/approval`).set(key).send({ verdict, reason });

  it('holds a large decision for an operator, acts once approved, and refuses a second answer', async () => {
    const { runId, big, small } = await startRun({ timeoutSeconds: 120, onTimeout: 'reject' });
    expect([big.approval.status, small.approval.status]).toEqual(['pending', 'not-required']);
    expect(target.deliveries).not.toContainEqual(expect.objectContaining({ body: expect.objectContaining({ decisionId: big.id }) }));

    const progress = await f.api.http().get(`/api/v1/runs/${runId}/progress`).set(viewer);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ runId, stage: 'approve', decisions: 2, approvals: [{ decisionId: big.id, status: 'pending', requiredRole: 'operator' }] });

    const asViewer = await decide(big.id, viewer, 'approve');
    expect(asViewer.status).toBe(403);

    const approved = await decide(big.id, operator, 'approve', 'stock is really low');
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ status: 'approved', reason: 'stock is really low' });
    expect(approved.body.approval.by).toContain('operator');

    const again = await decide(big.id, operator, 'approve');
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already approved by/);

    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.decisions.map((d) => d.actionStatus)).toEqual(['succeeded', 'succeeded']);
    const ledger = await f.api.http().get(`/api/v1/ledger?decisionId=${big.id}`).set(f.admin);
    expect(ledger.body.entries.map((e: { type: string }) => e.type)).toEqual(['decision', 'approval', 'action']);
  });

  it('takes no action on a rejected decision and says who rejected it', async () => {
    const { runId, big } = await startRun({ timeoutSeconds: 120, onTimeout: 'reject' });
    const rejected = await decide(big.id, operator, 'reject', 'supplier is on holiday');
    expect(rejected.status).toBe(200);
    const run = await runReaches(f, runId, ['completed', 'failed']);
    const decision = run.decisions.find((d) => d.id === big.id)!;
    expect(decision.actionStatus).toBe('skipped');
    expect(decision.actionResult.reason).toMatch(/not approved \(rejected by .*operator/);
    expect(target.deliveries.some((d) => d.body['decisionId'] === big.id)).toBe(false);
  });

  it('rejects by timeout when nobody answers, and refuses a late approval', async () => {
    const { runId, big } = await startRun({ timeoutSeconds: 2, onTimeout: 'reject' });
    const run = await runReaches(f, runId, ['completed', 'failed']);
    const decision = run.decisions.find((d) => d.id === big.id)!;
    expect(decision.approval.status).toBe('timed-out');
    expect(decision.actionStatus).toBe('skipped');

    const late = await decide(big.id, operator, 'approve');
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/approval window closed/);
    expect(target.deliveries.some((d) => d.body['decisionId'] === big.id)).toBe(false);
  });

  it('escalates to an admin on timeout when the rule says so', async () => {
    const { runId, big } = await startRun({ timeoutSeconds: 2, onTimeout: 'escalate' });
    await eventually(async () => ((await getRun(f, runId)).decisions[0]!.approval.status === 'escalated' ? true : undefined), 'escalation');

    const byOperator = await decide(big.id, operator, 'approve');
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.message).toMatch(/needs the admin role/);

    const byAdmin = await decide(big.id, f.admin, 'approve', 'approved on escalation');
    expect(byAdmin.status).toBe(200);
    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.decisions.find((d) => d.id === big.id)!.actionStatus).toBe('succeeded');
  });
});
