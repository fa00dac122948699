/**
 * Every config change is a ledger entry with its actor, on the real stack: loops (create, update,
 * enable, disable, delete), sources (create, update, delete), metric versions and API keys
 * (create, revoke). Diffs hold changed paths only; credentials, key secrets and webhook tokens
 * never reach the ledger; refused requests write nothing; the chain still verifies.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { insertSource, metricKey } from '../integration/metrics/metric-fixtures';
import { bearer, startTestApi, TestApi } from '../support/test-apps';
import { HTTP_TOKEN, httpSource, PG_PASSWORD, postgresSource } from './sources/source-api-fixture';

type Headers = Record<string, string>;
type Change = { path: string; before?: unknown; after?: unknown };
type Entry = {
  seq: number; loopId: string | null;
  body: { subject: string; subjectId: string | null; subjectName: string; action: string; outcome: string; actor: { keyId: string; name: string; role: string }; changes: Change[] };
};

const TOKEN = 'T0k3n-in-the-path';
const HOOK = `http://127.0.0.1:9/hooks/${TOKEN}/x?sig=s1gnature`;

describe('config changes in the ledger', () => {
  let api: TestApi;
  let admin: Headers;
  let adminId: string;
  let operator: Headers;
  let viewer: Headers;

  beforeAll(async () => {
    api = await startTestApi({ OUTBOUND_ALLOWED_HOSTS: 'api.example.com,db.internal,127.0.0.1' });
    admin = bearer(api.adminKey);
    adminId = (await api.http().get('/api/v1/me').set(admin)).body.id;
    const key = async (role: string) => bearer((await api.http().post('/api/v1/api-keys').set(admin).send({ name: `config ${role} ${randomUUID()}`, role })).body.key);
    operator = await key('operator');
    viewer = await key('viewer');
  });
  afterAll(() => api.close());

  const http = () => api.http();
  const headSeq = async () => Number((await api.app.get(DataSource).query('SELECT seq FROM ledger_head'))[0].seq);
  /** Config entries after `afterSeq`, every page, as `who` sees them. */
  async function configSince(afterSeq: number, who: Headers = viewer): Promise<{ entries: Entry[]; text: string }> {
    const entries: Entry[] = [];
    let text = '';
    for (let after: number | null = afterSeq; after !== null;) {
      const res: { status: number; text: string; body: { entries: Entry[]; nextAfterSeq: number | null } } =
        await http().get(`/api/v1/ledger?type=config&afterSeq=${after}&limit=500`).set(who);
      expect(res.status).toBe(200);
      entries.push(...res.body.entries);
      text += res.text;
      after = res.body.nextAfterSeq;
    }
    return { entries, text };
  }
  const about = (entries: Entry[], subjectId: string) => entries.filter((e) => e.body.subjectId === subjectId);

  it('records each loop change with the admin who made it and the changed paths only', async () => {
    const start = await headSeq();
    const created = await http().post('/api/v1/loops').set(admin)
      .send({ name: `audited ${randomUUID()}`, kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' }, actionTarget: { type: 'webhook', url: HOOK } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await http().patch(`/api/v1/loops/${id}`).set(admin).send({ mode: 'shadow', params: { bound: 95 } })).status).toBe(200);
    expect((await http().post(`/api/v1/loops/${id}/disable`).set(admin)).status).toBe(200);
    expect((await http().post(`/api/v1/loops/${id}/enable`).set(operator)).status).toBe(200);
    expect((await http().delete(`/api/v1/loops/${id}`).set(admin)).status).toBe(204);

    const entries = about((await configSince(start)).entries, id);
    expect(entries.map((e) => [e.body.action, e.body.actor.role])).toEqual([['create', 'admin'], ['update', 'admin'], ['disable', 'admin'], ['enable', 'operator'], ['delete', 'admin']]);
    expect(entries.every((e) => e.loopId === id && e.body.subject === 'loop' && e.body.outcome === 'applied')).toBe(true);
    expect(entries[0].body.actor).toEqual({ keyId: adminId, name: 'bootstrap admin (OPSLOOP_ADMIN_KEY)', role: 'admin' });
    expect(entries[0].body.changes).toContainEqual({ path: 'actionTarget.url', after: 'http://127.0.0.1:9/hooks/…' });
    expect(entries[1].body.changes).toEqual([{ path: 'mode', before: 'dry-run', after: 'shadow' }, { path: 'params.bound', before: 90, after: 95 }]);
    expect(entries[2].body.changes).toEqual([{ path: 'enabled', before: true, after: false }]);
    expect(entries[3].body.changes).toEqual([{ path: 'enabled', before: false, after: true }]);
    expect(entries[4].body.changes).toEqual([{ path: 'deleted', before: false, after: true }, { path: 'enabled', before: true, after: false }]);
  });

  it('shows a viewer webhook targets redacted, in the ledger and the loop itself: never the token in the path or query', async () => {
    const start = await headSeq();
    const loop = await http().post('/api/v1/loops').set(admin)
      .send({ name: `hooked ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' }, actionTarget: { type: 'webhook', url: HOOK } });
    await http().patch(`/api/v1/loops/${loop.body.id}`).set(admin).send({ actionTarget: { type: 'webhook', url: HOOK.replace(TOKEN, 'n3w-T0k3n') } });
    const { entries, text } = await configSince(start, viewer);
    expect(about(entries, loop.body.id).map((e) => e.body.changes.filter((c) => c.path === 'actionTarget.url'))).toEqual([
      [{ path: 'actionTarget.url', after: 'http://127.0.0.1:9/hooks/…' }],
      [{ path: 'actionTarget.url', before: 'http://127.0.0.1:9/hooks/…', after: 'http://127.0.0.1:9/hooks/…' }],
    ]);
    expect(text).not.toMatch(/T0k3n|s1gnature/);

    const asViewer = await http().get(`/api/v1/loops/${loop.body.id}`).set(viewer);
    expect(asViewer.body.actionTarget.url).toBe('http://127.0.0.1:9/hooks/%E2%80%A6');
    expect((await http().get('/api/v1/loops?kind=noop&limit=500').set(viewer)).text).not.toMatch(/T0k3n|s1gnature/);
    expect((await http().get(`/api/v1/loops/${loop.body.id}`).set(operator)).body.actionTarget.url).toBe(HOOK.replace(TOKEN, 'n3w-T0k3n'));
  });

  it('records source changes without ever holding a password, connection string or secret header', async () => {
    const start = await headSeq();
    const pg = await http().post('/api/v1/sources').set(admin).send(postgresSource());
    expect(pg.status).toBe(201);
    const rotated = 'postgres://reader:Rotated-pw-55@db.internal:5432/sales';
    expect((await http().patch(`/api/v1/sources/${pg.body.id}`).set(admin).send({ secret: { connectionString: rotated }, gatePolicy: 'block' })).status).toBe(200);
    expect((await http().delete(`/api/v1/sources/${pg.body.id}`).set(admin)).status).toBe(204);
    const web = await http().post('/api/v1/sources').set(admin).send(httpSource({ config: { url: 'https://api.example.com/sales?api_key=K3y-in-url', itemsPath: 'data.items' } }));
    expect(web.status).toBe(201);
    expect((await http().patch(`/api/v1/sources/${web.body.id}`).set(admin).send({ secret: null })).status).toBe(200);

    const { entries, text } = await configSince(start, admin);
    const pgEntries = about(entries, pg.body.id);
    expect(pgEntries.map((e) => e.body.action)).toEqual(['create', 'update', 'delete']);
    expect(pgEntries[0].body.changes).toContainEqual({ path: 'secret', after: '[redacted]' });
    expect(pgEntries[1].body.changes).toEqual([
      { path: 'gatePolicy', before: 'warn', after: 'block' },
      { path: 'secret', before: '[redacted]', after: '[redacted]' },
    ]);
    expect(pgEntries[2].body.changes).toEqual([{ path: 'deleted', before: false, after: true }]);
    expect(about(entries, web.body.id)[1].body.changes).toEqual([{ path: 'secret', before: '[redacted]', after: null }]);
    expect(about(entries, web.body.id)[0].body.changes).toContainEqual({ path: 'config.url', after: 'https://api.example.com/sales' });
    for (const secret of [PG_PASSWORD, 'Rotated-pw-55', 'reader:', HTTP_TOKEN, 'tok-Sealed', 'K3y-in-url', 'connectionString']) expect(text).not.toContain(secret);
  });

  it('records metric versions: version 1 whole, version 2 as its changes from version 1', async () => {
    const start = await headSeq();
    const source = await insertSource(api.app.get(DataSource));
    const key = metricKey('audited');
    const body = { key, name: 'Revenue', owner: 'finance', unit: 'EUR', source, aggregation: { type: 'sum' }, grain: 'day' };
    expect((await http().post('/api/v1/metrics').set(admin).send(body)).status).toBe(201);
    expect((await http().post(`/api/v1/metrics/${key}/versions`).set(admin).send({ ...body, name: 'Net revenue', grain: 'week' })).status).toBe(201);

    const entries = about((await configSince(start)).entries, key);
    expect(entries.map((e) => [e.body.subject, e.body.action, e.body.actor.keyId])).toEqual([['metric', 'create', adminId], ['metric', 'create', adminId]]);
    expect(entries[0].body.changes).toContainEqual({ path: 'version', after: 1 });
    expect(entries[1].body.changes).toEqual([
      { path: 'grain', before: 'day', after: 'week' },
      { path: 'name', before: 'Revenue', after: 'Net revenue' },
      { path: 'version', before: 1, after: 2 },
    ]);
  });

  it('records API keys created and revoked, by name and role only: never the secret, its hash or prefix', async () => {
    const start = await headSeq();
    const made = await http().post('/api/v1/api-keys').set(admin).send({ name: `audited key ${randomUUID()}`, role: 'operator' });
    expect(made.status).toBe(201);
    expect((await http().delete(`/api/v1/api-keys/${made.body.id}`).set(admin)).status).toBe(200);
    expect((await http().delete(`/api/v1/api-keys/${made.body.id}`).set(admin)).status).toBe(200);

    const { entries, text } = await configSince(start, admin);
    const mine = about(entries, made.body.id);
    expect(mine.map((e) => e.body.action)).toEqual(['create', 'revoke']);
    expect(mine[0].body.changes).toEqual([{ path: 'name', after: made.body.name }, { path: 'revokedAt', after: null }, { path: 'role', after: 'operator' }]);
    expect(mine[1].body.changes).toEqual([{ path: 'revokedAt', before: null, after: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    const [hash] = await api.app.get(DataSource).query('SELECT key_hash, key_prefix FROM api_keys WHERE id = $1', [made.body.id]);
    for (const secret of [made.body.key, hash.key_hash, hash.key_prefix]) expect(text).not.toContain(secret);
  });

  it('writes no config entry for a refused request: bad input, a taken name, a role too low for the route, an unknown id', async () => {
    const loop = await http().post('/api/v1/loops').set(admin).send({ name: `refusals ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' } });
    const start = await headSeq();
    const names = { source: `refused ${randomUUID()}`, key: `refused ${randomUUID()}` };
    await http().post('/api/v1/api-keys').set(admin).send({ name: names.key, role: 'viewer' });
    const keysStart = await headSeq();
    expect((await http().patch(`/api/v1/loops/${loop.body.id}`).set(admin).send({ overlap: 'sometimes' })).status).toBe(400);
    expect((await http().patch(`/api/v1/loops/${loop.body.id}`).set(admin).send({ kind: 'threshold-alert' })).status).toBe(400);
    expect((await http().delete(`/api/v1/loops/${loop.body.id}`).set(operator)).status).toBe(403);
    expect((await http().post('/api/v1/sources').set(operator).send(postgresSource({ name: names.source }))).status).toBe(403);
    expect((await http().post('/api/v1/sources').set(admin).send(postgresSource({ name: names.source, secret: undefined }))).status).toBe(400);
    expect((await http().post('/api/v1/api-keys').set(admin).send({ name: names.key, role: 'admin' })).status).toBe(409);
    expect((await http().delete(`/api/v1/api-keys/${randomUUID()}`).set(admin)).status).toBe(404);
    expect((await http().post(`/api/v1/loops/${randomUUID()}/disable`).set(admin)).status).toBe(404);
    // Sent, valid, but changing nothing: nothing to record either.
    expect((await http().patch(`/api/v1/loops/${loop.body.id}`).set(admin).send({ name: loop.body.name })).status).toBe(200);
    const { entries } = await configSince(start);
    expect(about(entries, loop.body.id)).toEqual([]);
    expect(entries.filter((e) => e.body.subjectName === names.source)).toEqual([]);
    expect(entries.filter((e) => e.body.subjectName === names.key && e.seq > keysStart)).toEqual([]);
  });

  it('keeps the hash chain intact with config entries in it', async () => {
    const verdict = await http().get('/api/v1/ledger/verify').set(viewer);
    expect(verdict.body).toMatchObject({ ok: true, reason: null });
  });
});
