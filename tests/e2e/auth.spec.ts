import { randomUUID } from 'node:crypto';
import { bearer, startTestApi, TestApi } from '../support/test-apps';

describe('API keys and roles', () => {
  let api: TestApi;
  const keys: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };

  beforeAll(async () => {
    api = await startTestApi();
    for (const role of ['viewer', 'operator'] as const) {
      const res = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: `${role} for auth spec ${randomUUID()}`, role });
      expect(res.status).toBe(201);
      keys[role] = res.body.key;
    }
  });
  afterAll(() => api.close());

  it('answers 401 without a key, with a malformed header and with an unknown key', async () => {
    expect((await api.http().get('/api/v1/me')).status).toBe(401);
    expect((await api.http().get('/api/v1/me').set('Authorization', 'Basic abc')).status).toBe(401);
    const res = await api.http().get('/api/v1/me').set(bearer('olk_not-a-real-key'));
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/invalid or revoked/i);
  });

  it.each([
    ['viewer', 200, 403, 403],
    ['operator', 200, 400, 403],
    ['admin', 200, 400, 200],
  ] as const)('gives a %s key: viewer route %i, operator route %i, admin route %i', async (role, viewerRoute, operatorRoute, adminRoute) => {
    const key = role === 'admin' ? api.adminKey : keys[role];
    expect((await api.http().get('/api/v1/me').set(bearer(key))).status).toBe(viewerRoute);
    // An empty body passes auth first, then fails validation: 400 means the role was allowed.
    expect((await api.http().post('/api/v1/round-trips').set(bearer(key)).send({})).status).toBe(operatorRoute);
    expect((await api.http().get('/api/v1/api-keys').set(bearer(key))).status).toBe(adminRoute);
  });

  it('explains a 403 with the role needed and the role held', async () => {
    const res = await api.http().get('/api/v1/api-keys').set(bearer(keys.viewer));
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/needs the admin role.*has viewer/);
  });

  it('returns the secret once and never lists it or its hash', async () => {
    const name = `listing check ${randomUUID()}`;
    const created = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name, role: 'viewer' });
    expect(created.body.key).toMatch(/^olk_/);
    const list = await api.http().get('/api/v1/api-keys').set(bearer(api.adminKey));
    const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name, role: 'viewer', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(Object.keys(listed)).not.toEqual(expect.arrayContaining(['key', 'keyHash']));
  });

  it('stops accepting a key once an admin revokes it', async () => {
    const created = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: `to revoke ${randomUUID()}`, role: 'operator' });
    expect((await api.http().get('/api/v1/me').set(bearer(created.body.key))).status).toBe(200);
    const revoked = await api.http().delete(`/api/v1/api-keys/${created.body.id}`).set(bearer(api.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await api.http().get('/api/v1/me').set(bearer(created.body.key))).status).toBe(401);
  });

  it('answers 404 when revoking an unknown key and 400 for a malformed id', async () => {
    const unknown = await api.http().delete('/api/v1/api-keys/6c0e7f0a-0000-4000-8000-000000000000').set(bearer(api.adminKey));
    expect(unknown.status).toBe(404);
    expect((await api.http().delete('/api/v1/api-keys/not-a-uuid').set(bearer(api.adminKey))).status).toBe(400);
  });

  it('refuses a second active key with the same name as a 409 naming the field, and frees the name on revoke', async () => {
    const name = `shared name ${randomUUID()}`;
    const create = () => api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name, role: 'viewer' });
    const first = await create();
    expect(first.status).toBe(201);
    const again = await create();
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'name', messages: [expect.stringMatching(/^name is taken by an active API key/)] }]);
    const named = (await api.http().get('/api/v1/api-keys').set(bearer(api.adminKey))).body.filter((k: { name: string }) => k.name === name);
    expect(named).toHaveLength(1);

    expect((await api.http().delete(`/api/v1/api-keys/${first.body.id}`).set(bearer(api.adminKey))).status).toBe(200);
    const replacement = await create();
    expect(replacement.status).toBe(201);
    expect(replacement.body.id).not.toBe(first.body.id);
  });

  it('gives one of two concurrent creates with the same name a 409, never a 500', async () => {
    const name = `race ${randomUUID()}`;
    const answers = await Promise.all([1, 2, 3].map(() => api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name, role: 'viewer' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('keeps the bootstrap admin key\'s name for it alone', async () => {
    const res = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: 'bootstrap admin (OPSLOOP_ADMIN_KEY)', role: 'admin' });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('name');
  });

  it('refuses to create a key with an unknown role, naming the field', async () => {
    const res = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: 'x', role: 'root' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'role', messages: ['role must be one of: viewer, operator, admin'] }]);
  });
});
