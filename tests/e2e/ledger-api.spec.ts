import { randomUUID } from 'node:crypto';
import { LedgerEntry, NewLedgerEntry } from '@opsloop/domain';
import { LedgerRepository } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';
import { bearer, startTestApi, TestApi } from '../support/test-apps';

function decision(loopId: string, runId: string, qty: number): NewLedgerEntry {
  const decisionId = randomUUID();
  return { entryKey: `decision:${decisionId}`, type: 'decision', loopId, runId, decisionId, body: { sku: 'A-1', qty } };
}

async function seed(api: TestApi, loopId: string, runId: string): Promise<LedgerEntry[]> {
  const ledger = api.app.get(LedgerRepository);
  const made: LedgerEntry[] = [];
  for (const qty of [10, 20, 30]) made.push(await ledger.append(decision(loopId, runId, qty)));
  made.push(await ledger.append({ entryKey: `approval:${made[1].decisionId}`, type: 'approval', loopId, runId, decisionId: made[1].decisionId!, body: { by: 'planner' } }));
  return made;
}

describe('ledger API', () => {
  const loopId = randomUUID();
  const runId = randomUUID();
  let api: TestApi;
  let viewerKey: string;
  let seeded: LedgerEntry[];

  beforeAll(async () => {
    api = await startTestApi();
    const created = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: `ledger auditor ${randomUUID()}`, role: 'viewer' });
    viewerKey = created.body.key;
    seeded = await seed(api, loopId, runId);
  });
  afterAll(() => api.close());

  const get = (path: string, key = viewerKey) => api.http().get(path).set(bearer(key));

  it('refuses requests without a key or with an unknown key', async () => {
    expect((await api.http().get('/api/v1/ledger')).status).toBe(401);
    expect((await api.http().get('/api/v1/ledger/verify')).status).toBe(401);
    expect((await get('/api/v1/ledger', 'olk_not-a-real-key-000000000000')).status).toBe(401);
  });

  it('lets a viewer read a loop\'s entries, oldest first, with their hashes', async () => {
    const res = await get(`/api/v1/ledger?loopId=${loopId}`);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { seq: number }) => e.seq)).toEqual(seeded.map((e) => e.seq));
    expect(res.body.entries[0]).toEqual({
      seq: seeded[0].seq, entryKey: seeded[0].entryKey, type: 'decision', loopId, runId, decisionId: seeded[0].decisionId,
      recordedAt: seeded[0].recordedAt, body: { sku: 'A-1', qty: 10 }, prevHash: seeded[0].prevHash, hash: seeded[0].hash,
    });
    expect(res.body.entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.nextAfterSeq).toBeNull();
  });

  it('filters by run, decision and type', async () => {
    const decisions = await get(`/api/v1/ledger?runId=${runId}&type=decision`);
    expect(decisions.body.entries.map((e: { entryKey: string }) => e.entryKey)).toEqual(seeded.slice(0, 3).map((e) => e.entryKey));
    const oneDecision = await get(`/api/v1/ledger?decisionId=${seeded[1].decisionId}`);
    expect(oneDecision.body.entries.map((e: { type: string }) => e.type)).toEqual(['decision', 'approval']);
  });

  it('pages with afterSeq and limit, giving nextAfterSeq until the last page', async () => {
    const first = await get(`/api/v1/ledger?loopId=${loopId}&limit=3`);
    expect(first.body.entries).toHaveLength(3);
    expect(first.body.nextAfterSeq).toBe(seeded[2].seq);
    const rest = await get(`/api/v1/ledger?loopId=${loopId}&limit=3&afterSeq=${first.body.nextAfterSeq}`);
    expect(rest.body.entries.map((e: { seq: number }) => e.seq)).toEqual([seeded[3].seq]);
    expect(rest.body.nextAfterSeq).toBeNull();
  });

  it('answers 400 naming each bad query field', async () => {
    const res = await get('/api/v1/ledger?loopId=nope&runId=123&type=opinion&afterSeq=-1&limit=501');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Validation failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['afterSeq', 'limit', 'loopId', 'runId', 'type']);
    expect(res.body.errors).toContainEqual({ field: 'type', messages: ['type must be one of: decision, approval, action, outcome, tune, label, blocked, config'] });
  });

  it('refuses a limit that is not a whole number and query fields the route does not know', async () => {
    expect((await get('/api/v1/ledger?limit=ten')).body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
    expect((await get('/api/v1/ledger?limit=0')).status).toBe(400);
    const unknown = await get('/api/v1/ledger?owner=me');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual({ field: 'owner', messages: ['property owner should not exist'] });
  });

  it('reports the shared ledger intact', async () => {
    const res = await get('/api/v1/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, reason: null, brokenAt: null, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(res.body.checked).toBeGreaterThanOrEqual(seeded.length);
    expect(res.body.message).toMatch(/^ledger ok: \d+ entries/);
  });

  it('documents both ledger routes in OpenAPI', async () => {
    const res = await api.http().get('/api/docs-json');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/ledger', '/api/v1/ledger/verify']));
  });
});

// Tampering happens in a database of its own: other specs verify the shared ledger and expect it intact.
describe('ledger verification through the API on a tampered database', () => {
  let db: ScratchDatabase;
  let api: TestApi;
  let seeded: LedgerEntry[];

  beforeAll(async () => {
    db = await createScratchDatabase('ledger_api');
    api = await startTestApi({ DATABASE_URL: db.url });
    seeded = await seed(api, randomUUID(), randomUUID());
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('answers 200 with ok=false and a message naming the first broken row', async () => {
    const before = await api.http().get('/api/v1/ledger/verify').set(bearer(api.adminKey));
    expect(before.body).toMatchObject({ ok: true, checked: 4 });

    await db.asDba(`UPDATE ledger_entries SET body = jsonb_set(body, '{body,qty}', '2000') WHERE seq = 2`);
    const res = await api.http().get('/api/v1/ledger/verify').set(bearer(api.adminKey));
    expect(res.status).toBe(200);
    const edited = seeded[1];
    expect(res.body).toMatchObject({
      ok: false, checked: 1, reason: 'hash-mismatch', lastHash: null,
      brokenAt: { seq: 2, entryKey: edited.entryKey, type: 'decision', decisionId: edited.decisionId, runId: edited.runId },
    });
    expect(res.body.message).toContain('seq 2');
    expect(res.body.message).toContain(edited.entryKey);
    expect(res.body.message).toContain(edited.decisionId);
  });
});
