/**
 * Health, batches and quarantine of a source through HTTP. The rows are written with SQL here,
 * as the ingest pipeline and the collector would, so these reads are checked on their own.
 */
import { randomUUID } from 'node:crypto';
import { Body, fieldsOf, pushSource, SourcesFixture, startSourcesApi } from './source-api-fixture';

const HOUR = 3600;
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

describe('source health, batches and quarantine API', () => {
  let f: SourcesFixture;
  beforeAll(async () => (f = await startSourcesApi()));
  afterAll(() => f.close());

  const get = (path: string) => f.api.http().get(`/api/v1/sources/${path}`).set(f.viewer);

  async function createSource(extra: Body = {}): Promise<string> {
    const res = await f.api.http().post('/api/v1/sources').set(f.admin).send(pushSource(extra));
    if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async function insertBatch(sourceId: string, b: { status: string; startedAt: string; received: number; written: number; quarantined: number; quality?: Body; error?: string }): Promise<string> {
    const id = randomUUID();
    await f.db.query(
      `INSERT INTO source_batches (id, source_id, origin, status, rows_received, rows_written, rows_duplicate, rows_quarantined, quality, error, started_at, finished_at)
       VALUES ($1, $2, 'push', $3, $4, $5, 0, $6, $7, $8, $9, $9::timestamptz + interval '2 seconds')`,
      [id, sourceId, b.status, b.received, b.written, b.quarantined, b.quality ? JSON.stringify(b.quality) : null, b.error ?? null, b.startedAt],
    );
    return id;
  }

  async function quarantineRow(sourceId: string, batchId: string, row: number, raw: Body): Promise<void> {
    await f.db.query(
      `INSERT INTO quarantine (source_id, batch_id, row_number, field, reason, raw) VALUES ($1, $2, $3, 'units', 'units must be at least 0', $4)`,
      [sourceId, batchId, row, JSON.stringify(raw)],
    );
  }

  async function setHealth(sourceId: string, h: { healthy: boolean; newestTs: string; failures: number; lastError: string | null }): Promise<void> {
    await f.db.query(
      `INSERT INTO source_health (source_id, healthy, last_success_at, last_error_at, last_error, consecutive_failures, newest_ts, rows_total, quarantined_total)
       VALUES ($1, $2, now() - interval '1 hour', now() - interval '5 minutes', $3, $4, $5, 1234, 6)`,
      [sourceId, h.healthy, h.lastError, h.failures, h.newestTs],
    );
  }

  const QUALITY = { ok: false, blocking: false, checks: [{ name: 'schema', ok: false, message: '5 of 40 rows failed the schema' }] };

  /** A source with an accepted batch (one bad row) then a partial one (five bad rows). */
  async function seeded(): Promise<{ id: string; older: string; newer: string }> {
    const id = await createSource({ quality: { expectedCadenceSeconds: HOUR }, config: { headerMap: { 'Contact Email': 'contact_email' } } });
    const older = await insertBatch(id, { status: 'accepted', startedAt: ago(2 * HOUR), received: 10, written: 9, quarantined: 1 });
    const newer = await insertBatch(id, { status: 'partial', startedAt: ago(HOUR), received: 40, written: 35, quarantined: 5, quality: QUALITY });
    await quarantineRow(id, older, 7, { sku: 'A-1', units: -1, contact_email: 'old@example.com' });
    for (let row = 1; row <= 5; row++) await quarantineRow(id, newer, row * 3, { sku: `B-${row}`, units: -row, 'Contact Email': `p${row}@example.com` });
    return { id, older, newer };
  }

  describe('health', () => {
    it('reports last success and error, failures, counts, the last batch and freshness against the cadence', async () => {
      const s = await seeded();
      await setHealth(s.id, { healthy: false, newestTs: ago(600), failures: 3, lastError: 'connection refused by db.internal:5432' });
      const res = await get(`${s.id}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        sourceId: s.id, healthy: false, lastError: 'connection refused by db.internal:5432', consecutiveFailures: 3,
        rowsTotal: 1234, quarantinedTotal: 6, lastBatch: { id: s.newer, status: 'partial', rowsReceived: 40, rowsWritten: 35, rowsQuarantined: 5, quality: QUALITY },
      });
      expect(Date.parse(res.body.lastSuccessAt as string)).toBeLessThan(Date.parse(res.body.lastErrorAt as string));
      expect(res.body.freshness.expectedCadenceSeconds).toBe(HOUR);
      expect(res.body.freshness.fresh).toBe(true);
      expect(res.body.freshness.ageSeconds).toBeGreaterThanOrEqual(600);
      expect(res.body.freshness.ageSeconds).toBeLessThan(700);
    });

    it('is not fresh once the newest observation is older than the expected cadence', async () => {
      const id = await createSource({ quality: { expectedCadenceSeconds: HOUR } });
      await setHealth(id, { healthy: true, newestTs: ago(2 * HOUR), failures: 0, lastError: null });
      const res = await get(`${id}/health`);
      expect(res.body.healthy).toBe(true);
      expect(res.body.freshness).toMatchObject({ expectedCadenceSeconds: HOUR, fresh: false });
      expect(res.body.freshness.ageSeconds).toBeGreaterThanOrEqual(2 * HOUR);
    });

    it('does not judge freshness for a source that declares no cadence', async () => {
      const id = await createSource();
      await setHealth(id, { healthy: true, newestTs: ago(30 * 24 * HOUR), failures: 0, lastError: null });
      const res = await get(`${id}/health`);
      expect(res.body.freshness).toMatchObject({ expectedCadenceSeconds: null, fresh: null });
    });

    it('answers for a source that has received nothing yet: healthy, empty, and not fresh when a cadence is expected', async () => {
      const id = await createSource({ quality: { expectedCadenceSeconds: HOUR } });
      const res = await get(`${id}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        sourceId: id, healthy: true, lastSuccessAt: null, lastErrorAt: null, lastError: null, consecutiveFailures: 0, newestTs: null,
        freshness: { ageSeconds: null, expectedCadenceSeconds: HOUR, fresh: false }, rowsTotal: 0, quarantinedTotal: 0, lastBatch: null,
      });
    });
  });

  describe('batches', () => {
    it('lists batches newest first, filters by status and pages with limit and offset', async () => {
      const s = await seeded();
      const all = await get(`${s.id}/batches`);
      expect(all.status).toBe(200);
      expect((all.body as Body[]).map((b) => b.id)).toEqual([s.newer, s.older]);
      expect((await get(`${s.id}/batches?status=accepted`)).body.map((b: Body) => b.id)).toEqual([s.older]);
      expect((await get(`${s.id}/batches?limit=1&offset=1`)).body.map((b: Body) => b.id)).toEqual([s.older]);
    });

    it('reads one batch with its quality report, and 404s on a batch of another source', async () => {
      const s = await seeded();
      const other = await seeded();
      const res = await get(`${s.id}/batches/${s.newer}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: s.newer, origin: 'push', status: 'partial', rowsReceived: 40, rowsWritten: 35, rowsDuplicate: 0, rowsQuarantined: 5, quality: QUALITY, error: null });
      expect(Date.parse(res.body.finishedAt as string) - Date.parse(res.body.startedAt as string)).toBe(2000);
      expect((await get(`${s.id}/batches/${other.newer}`)).status).toBe(404);
    });

    it('refuses a status that does not exist, naming the parameter', async () => {
      const id = await createSource();
      const res = await get(`${id}/batches?status=done`);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['status']);
    });
  });

  describe('quarantine', () => {
    it('lists quarantined rows newest first with row number, field and reason, hiding personal values', async () => {
      const s = await seeded();
      const res = await get(`${s.id}/quarantine`);
      expect(res.status).toBe(200);
      const rows = res.body.rows as Body[];
      expect(rows).toHaveLength(6);
      expect(res.body.nextBefore).toBeNull();
      expect(rows[0]).toMatchObject({ batchId: s.newer, row: 15, field: 'units', reason: 'units must be at least 0', raw: { sku: 'B-5', units: -5, 'Contact Email': '[personal]' } });
      expect(rows[5]).toMatchObject({ batchId: s.older, row: 7, raw: { sku: 'A-1', units: -1, contact_email: '[personal]' } });
      expect(JSON.stringify(res.body)).not.toMatch(/@example\.com/);
    });

    it('filters by batch', async () => {
      const s = await seeded();
      const res = await get(`${s.id}/quarantine?batchId=${s.older}`);
      expect((res.body.rows as Body[]).map((r) => r.row)).toEqual([7]);
    });

    it('pages with limit and the before cursor, visiting every row once', async () => {
      const s = await seeded();
      const seen: number[] = [];
      let before: number | null = null;
      let pages = 0;
      do {
        const res = await get(`${s.id}/quarantine?limit=4${before ? `&before=${before}` : ''}`);
        seen.push(...(res.body.rows as { row: number }[]).map((r) => r.row));
        before = res.body.nextBefore as number | null;
        pages++;
      } while (before !== null && pages < 10);
      expect(pages).toBe(2);
      expect(seen).toEqual([15, 12, 9, 6, 3, 7]);
    });

    it('refuses a bad limit or batch id, naming the parameter', async () => {
      const id = await createSource();
      expect(fieldsOf((await get(`${id}/quarantine?limit=0`)).body)).toEqual(['limit']);
      expect(fieldsOf((await get(`${id}/quarantine?batchId=latest`)).body)).toEqual(['batchId']);
      expect(fieldsOf((await get(`${id}/quarantine?before=abc`)).body)).toEqual(['before']);
    });
  });

  it('needs a key for every read', async () => {
    const id = await createSource();
    for (const path of ['health', 'batches', 'quarantine']) {
      expect((await f.api.http().get(`/api/v1/sources/${id}/${path}`)).status).toBe(401);
    }
  });
});
