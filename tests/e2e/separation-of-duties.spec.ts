/**
 * Separation of duties on the real stack: an operator cannot loosen a loop's control (each rule),
 * the 403 names the field and the role, nothing changes, and the attempt is in the ledger; an
 * admin can, and the ledger shows who did it and what changed. Tightening stays open to operators,
 * and a loop's approver role is what the approval route enforces.
 */
import { randomUUID } from 'node:crypto';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../support/engine-fixture';
import { bearer } from '../support/test-apps';

type Headers = Record<string, string>;
type Loop = { id: string; name: string } & Record<string, unknown>;
type Change = { path: string; before?: unknown; after?: unknown };
type ConfigBody = {
  subject: string; subjectId: string | null; subjectName: string; action: string; outcome: 'applied' | 'refused';
  actor: { keyId: string; name: string; role: string }; changes: Change[];
  refusal: { status: number; requiredRole: string; errors: { field: string; messages: string[] }[] } | null;
};

const APPROVAL = { when: 'above', threshold: 100, timeoutSeconds: 3600, onTimeout: 'reject', role: 'admin' };
const TUNING = { minBound: 80, maxBound: 100, step: 1, targetPrecision: 0.8, window: 10 };

describe('separation of duties: loosening a loop needs an admin', () => {
  let f: EngineFixture;
  const keys = { operator: {} as Headers, viewer: {} as Headers };
  const ids = { operator: '', admin: '' };

  beforeAll(async () => {
    f = await startEngine();
    for (const role of ['operator', 'viewer'] as const) {
      const res = await f.api.http().post('/api/v1/api-keys').set(f.admin).send({ name: `sod ${role} ${randomUUID()}`, role });
      keys[role] = bearer(res.body.key as string);
    }
    ids.operator = (await f.api.http().get('/api/v1/me').set(keys.operator)).body.id;
    ids.admin = (await f.api.http().get('/api/v1/me').set(f.admin)).body.id;
  });
  afterAll(() => f.close());

  const http = () => f.api.http();
  /** A shadow loop with every control set, so each can be loosened from it. */
  const controlledLoop = () => createLoop(f, {
    name: `sod ${randomUUID()}`, kind: 'threshold-alert', mode: 'shadow', trigger: { type: 'event' },
    params: { bound: 90, tuning: TUNING }, approval: APPROVAL,
    actionTarget: { type: 'webhook', url: 'http://127.0.0.1:9/hooks/a', timeoutSeconds: 5, maxAttempts: 3 },
  }) as Promise<Loop>;
  const configEntries = async (loopId: string): Promise<ConfigBody[]> => {
    const res = await http().get(`/api/v1/ledger?type=config&loopId=${loopId}`).set(keys.viewer);
    expect(res.status).toBe(200);
    return (res.body.entries as { body: ConfigBody }[]).map((e) => e.body);
  };

  it.each([
    ['mode to live', { mode: 'live' }, 'mode', { path: 'mode', before: 'shadow', after: 'live' }],
    ['approval to never', { approval: { when: 'never' } }, 'approval.when', { path: 'approval.when', before: 'above', after: 'never' }],
    ['a higher approval threshold', { approval: { ...APPROVAL, threshold: 500 } }, 'approval.threshold', { path: 'approval.threshold', before: 100, after: 500 }],
    ['a longer approval timeout', { approval: { ...APPROVAL, timeoutSeconds: 7200 } }, 'approval.timeoutSeconds', { path: 'approval.timeoutSeconds', before: 3600, after: 7200 }],
    ['escalate instead of reject on timeout', { approval: { ...APPROVAL, onTimeout: 'escalate' } }, 'approval.onTimeout', { path: 'approval.onTimeout', before: 'reject', after: 'escalate' }],
    ['operators as approvers instead of admins', { approval: { ...APPROVAL, role: 'operator' } }, 'approval.role', { path: 'approval.role', before: 'admin', after: 'operator' }],
    ['a new action target', { actionTarget: { type: 'record' } }, 'actionTarget', { path: 'actionTarget.type', before: 'webhook', after: 'record' }],
    ['another policy version', { policyVersion: 'threshold-alert@1' }, 'policyVersion', { path: 'policyVersion', before: 'threshold-alert@2', after: 'threshold-alert@1' }],
    ['wider tuning bounds', { params: { bound: 90, tuning: { ...TUNING, maxBound: 150 } } }, 'params.tuning', { path: 'params.tuning.maxBound', before: 100, after: 150 }],
  ] as [string, Record<string, unknown>, string, Change][])('refuses an operator %s, changes nothing and records the attempt; an admin may', async (_rule, patch, field, change) => {
    const loop = await controlledLoop();

    const refused = await http().patch(`/api/v1/loops/${loop.id}`).set(keys.operator).send(patch);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', requiredRole: 'admin' });
    expect(refused.body.errors).toEqual([{ field, messages: [expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')} needs the admin role: .+; this key has operator$`))] }]);
    expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body).toEqual(loop);

    const afterRefusal = await configEntries(loop.id);
    expect(afterRefusal.map((e) => [e.action, e.outcome])).toEqual([['create', 'applied'], ['update', 'refused']]);
    expect(afterRefusal[1]).toMatchObject({ subjectId: loop.id, actor: { keyId: ids.operator, role: 'operator' }, refusal: { status: 403, requiredRole: 'admin', errors: refused.body.errors } });
    expect(afterRefusal[1].changes).toContainEqual(change);

    const allowed = await http().patch(`/api/v1/loops/${loop.id}`).set(f.admin).send(patch);
    expect(allowed.status).toBe(200);
    const entries = await configEntries(loop.id);
    expect(entries).toHaveLength(3);
    expect(entries[2]).toMatchObject({ action: 'update', outcome: 'applied', refusal: null, actor: { keyId: ids.admin, role: 'admin' } });
    expect(entries[2].changes).toContainEqual(change);
  });

  it('refuses an operator creating a live loop or one with a webhook target: nothing is created, the attempt is recorded', async () => {
    const name = `sod live ${randomUUID()}`;
    const res = await http().post('/api/v1/loops').set(keys.operator)
      .send({ name, kind: 'noop', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'webhook', url: 'http://127.0.0.1:9/in' } });
    expect(res.status).toBe(403);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['mode', 'actionTarget']);
    const loops = (await http().get('/api/v1/loops?kind=noop&limit=500').set(f.admin)).body as Loop[];
    expect(loops.filter((l) => l.name === name)).toEqual([]);

    const refusals = (await http().get('/api/v1/ledger?type=config&limit=500').set(f.admin)).body.entries as { body: ConfigBody; loopId: string | null }[];
    const mine = refusals.filter((e) => e.body.subjectName === name);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ loopId: null, body: { subject: 'loop', subjectId: null, action: 'create', outcome: 'refused', actor: { keyId: ids.operator } } });
    expect(mine[0].body.changes).toContainEqual({ path: 'mode', after: 'live' });
  });

  it('lets an operator create an inert loop and tighten a live one, recording each change as theirs', async () => {
    const created = await http().post('/api/v1/loops').set(keys.operator)
      .send({ name: `sod tight ${randomUUID()}`, kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' }, approval: { ...APPROVAL, role: 'operator' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await http().patch(`/api/v1/loops/${id}`).set(f.admin).send({ mode: 'live' })).status).toBe(200);

    const tightened = await http().patch(`/api/v1/loops/${id}`).set(keys.operator)
      .send({ mode: 'shadow', approval: { when: 'always', timeoutSeconds: 600, onTimeout: 'reject', role: 'admin' } });
    expect(tightened.status).toBe(200);
    expect(tightened.body).toMatchObject({ mode: 'shadow', approval: { when: 'always', timeoutSeconds: 600, onTimeout: 'reject', role: 'admin' } });
    const entries = await configEntries(id);
    expect(entries.map((e) => [e.action, e.outcome, e.actor.role])).toEqual([['create', 'applied', 'operator'], ['update', 'applied', 'admin'], ['update', 'applied', 'operator']]);
    expect(entries[2].changes).toEqual([
      { path: 'approval.role', before: 'operator', after: 'admin' },
      { path: 'approval.threshold', before: 100 },
      { path: 'approval.timeoutSeconds', before: 3600, after: 600 },
      { path: 'approval.when', before: 'above', after: 'always' },
      { path: 'mode', before: 'live', after: 'shadow' },
    ]);
  });

  it('answers 400 before any role question, and records nothing for a refused invalid change', async () => {
    const loop = await controlledLoop();
    const res = await http().patch(`/api/v1/loops/${loop.id}`).set(keys.operator).send({ mode: 'live', approval: { when: 'above', timeoutSeconds: 0 } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['approval.onTimeout', 'approval.threshold', 'approval.timeoutSeconds']);
    expect((await configEntries(loop.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('makes the approval route honour a loop\'s approver role: an admin-only loop refuses an operator', async () => {
    const loop = await createLoop(f, {
      name: `sod approver ${randomUUID()}`, kind: 'threshold-alert', mode: 'live', params: { bound: 90 }, trigger: { type: 'event' },
      approval: { when: 'always', timeoutSeconds: 600, onTimeout: 'reject', role: 'admin' },
    });
    const runId = await sendEvent(f, loop.id, randomUUID(), { readings: [{ series: 'cpu', value: 99 }] });
    const run = await runReaches(f, runId, ['awaiting-approval']);
    const decisionId = run.decisions[0]!.id;
    const decide = (key: Headers) => http().post(`/api/v1/decisions/${decisionId}/approval`).set(key).send({ verdict: 'approve', reason: 'checked' });

    const byOperator = await decide(keys.operator);
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.message).toMatch(/needs the admin role; this key has operator/);
    const byAdmin = await decide(f.admin);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.approval).toMatchObject({ status: 'approved' });
  });

  it('refuses an approver role outside operator and admin, naming the field', async () => {
    const res = await http().post('/api/v1/loops').set(f.admin)
      .send({ name: 'x', kind: 'noop', trigger: { type: 'event' }, approval: { when: 'always', timeoutSeconds: 60, onTimeout: 'reject', role: 'viewer' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['approval.role']);
  });
});
