/**
 * Pushing observations through POST /api/v1/sources/:id/observations against the real Postgres:
 * JSON, NDJSON and CSV bodies, idempotent re-sends, partial and rejected batches with their
 * quarantine rows, every kind of bad input answered with a 4xx, personal fields never stored
 * raw, and the source's health after each batch.
 */
import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IngestListener, ObservationIngest, ObservationsWritten, personalHasher, RawRow, SourceRepository, TypeOrmObservationIngest } from '@opsloop/persistence';
import { bearer, startTestApi, TestApi } from '../../support/test-apps';

const SALES_SCHEMA = {
  fields: [
    { name: 'sku', type: 'string', required: true },
    { name: 'store', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'qty', type: 'number', required: true, min: 0 },
    { name: 'email', type: 'string', required: false, personal: 'hash' },
    { name: 'phone', type: 'string', required: false, personal: 'mask' },
    { name: 'note', type: 'string', required: false },
  ],
  uniqueKey: ['sku', 'store', 'ts'],
  timeField: 'ts',
  seriesKey: ['sku', 'store'],
  valueField: 'qty',
  dimensions: ['store'],
};

const row = (sku: string, hour: number, qty: unknown, extra: Record<string, unknown> = {}) =>
  ({ sku, store: 's1', ts: `2024-05-01T${String(hour).padStart(2, '0')}:00:00Z`, qty, ...extra });

interface Report {
  batchId: string; status: string; rowsReceived: number; rowsWritten: number; rowsDuplicate: number; rowsQuarantined: number;
  problems: { row: number; field: string | null; reason: string }[]; quality: { ok: boolean; checks: { name: string; ok: boolean; message: string }[] };
}

describe('push ingest', () => {
  let api: TestApi;
  let ds: DataSource;
  let operator: Record<string, string>;
  const admin = () => bearer(api.adminKey);

  beforeAll(async () => {
    api = await startTestApi();
    ds = api.app.get(DataSource);
    const key = await api.http().post('/api/v1/api-keys').set(admin()).send({ name: `ingest operator ${randomUUID()}`, role: 'operator' });
    operator = bearer(key.body.key);
  });
  afterAll(() => api.close());

  async function createSource(over: Record<string, unknown> = {}): Promise<string> {
    const res = await api.http().post('/api/v1/sources').set(admin())
      .send({ name: `sales ${randomUUID()}`, kind: 'push', schema: SALES_SCHEMA, ...over });
    if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  const pushJson = (id: string, body: unknown) => api.http().post(`/api/v1/sources/${id}/observations`).set(operator).send(body as object);
  const pushRaw = (id: string, type: string, body: string | Buffer) =>
    api.http().post(`/api/v1/sources/${id}/observations`).set(operator).set('Content-Type', type).send(body);

  const stored = (id: string) => ds.query(
    `SELECT unique_key, series_key, dims, ts, value, record FROM observations WHERE source_id = $1 ORDER BY unique_key`, [id]);
  const health = async (id: string) => (await ds.query(`SELECT * FROM source_health WHERE source_id = $1`, [id]))[0];

  it('stores a JSON batch as observations and answers 201 with the batch report', async () => {
    const id = await createSource();
    const res = await pushJson(id, [row('A-1', 10, 5), row('A-1', 11, '6.5'), row('B-2', 10, 0)]);
    expect(res.status).toBe(201);
    const report = res.body as Report;
    expect(report).toMatchObject({ status: 'accepted', rowsReceived: 3, rowsWritten: 3, rowsDuplicate: 0, rowsQuarantined: 0, problems: [] });
    expect(report.quality.checks.map((c) => c.name)).toEqual(['schema', 'duplicates', 'freshness', 'completeness', 'outliers']);
    const rows = await stored(id);
    expect(rows[0]).toMatchObject({ unique_key: 'A-1|s1|2024-05-01T10:00:00.000Z', series_key: 'A-1|s1', dims: { store: 's1' }, value: 5 });
    expect(rows.map((r: { value: number }) => r.value)).toEqual([5, 6.5, 0]);
    const [batch] = await ds.query(`SELECT status, origin, rows_written, quality FROM source_batches WHERE id = $1`, [report.batchId]);
    expect(batch).toMatchObject({ status: 'accepted', origin: 'push:json', rows_written: 3, quality: report.quality });
  });

  it('reads the {"rows": [...]} form and NDJSON the same way', async () => {
    const id = await createSource();
    expect((await pushJson(id, { rows: [row('A-1', 1, 1), row('A-1', 2, 2)] })).body).toMatchObject({ status: 'accepted', rowsWritten: 2 });
    const ndjson = [row('A-1', 3, 3), row('A-1', 4, 4)].map((r) => JSON.stringify(r)).join('\n') + '\n\n';
    expect((await pushRaw(id, 'application/x-ndjson', ndjson)).body).toMatchObject({ status: 'accepted', rowsWritten: 2 });
    expect(await stored(id)).toHaveLength(4);
  });

  it('loads a CSV upload with the source\'s delimiter, encoding and header map', async () => {
    const id = await createSource({ config: { delimiter: ';', encoding: 'latin1', headerMap: { Artikel: 'sku', Filiale: 'store', Zeit: 'ts', Menge: 'qty' } } });
    const csv = Buffer.from('Artikel;Filiale;Zeit;Menge\n"Käse; alt";s1;2024-05-01T10:00:00Z;4\nBrot;s1;2024-05-01T10:00:00Z;7.5\n', 'latin1');
    const res = await pushRaw(id, 'text/csv', csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'accepted', rowsWritten: 2 });
    expect((await stored(id)).map((r: { series_key: string }) => r.series_key)).toEqual(['Brot|s1', 'Käse; alt|s1']);
  });

  it('stores any text exactly: separators, COPY escapes, quotes, emoji and a 30,000-character note', async () => {
    const id = await createSource();
    const sku = 'A|1\\tab\there\nnew "q" \u00e9 \ud83d\ude80';
    const note = 'x\\y\t'.repeat(6000);
    const res = await pushJson(id, [row(sku, 10, 1, { note }), row('A', 10, 2, { note: '\\N' })]);
    expect(res.body).toMatchObject({ status: 'accepted', rowsWritten: 2 });
    const rows = await ds.query(`SELECT unique_key, series_key, record FROM observations WHERE source_id = $1 ORDER BY record->>'qty'`, [id]);
    expect(rows[0].series_key).toBe(`${sku}|s1`);
    expect(rows[0].unique_key).toBe(`${sku.replace(/[\\|]/g, '\\$&')}|s1|2024-05-01T10:00:00.000Z`);
    expect(rows[0].record).toMatchObject({ sku, note });
    expect(rows[1].record.note).toBe('\\N');
  });

  it('writes nothing new when a skip source gets the same unique keys again', async () => {
    const id = await createSource({ onDuplicate: 'skip' });
    const batch = [row('A-1', 10, 5), row('A-1', 11, 6)];
    await pushJson(id, batch);
    const again = await pushJson(id, [row('A-1', 10, 99), row('A-1', 11, 6)]);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'accepted', rowsWritten: 0, rowsDuplicate: 2 });
    expect((again.body as Report).quality.checks.find((c) => c.name === 'duplicates')).toMatchObject({ ok: true, message: expect.stringContaining('2 rows were already stored (skipped)') });
    expect((await stored(id)).map((r: { value: number }) => r.value)).toEqual([5, 6]);
  });

  it('updates the changed rows of an upsert source and writes nothing for an identical re-send', async () => {
    const id = await createSource({ onDuplicate: 'upsert' });
    await pushJson(id, [row('A-1', 10, 5), row('A-1', 11, 6)]);
    const changed = await pushJson(id, [row('A-1', 10, 50), row('A-1', 11, 6)]);
    expect(changed.body).toMatchObject({ status: 'accepted', rowsWritten: 1, rowsDuplicate: 2 });
    expect((await stored(id)).map((r: { value: number }) => r.value)).toEqual([50, 6]);
    const identical = await pushJson(id, [row('A-1', 10, 50), row('A-1', 11, 6)]);
    expect(identical.body).toMatchObject({ rowsWritten: 0 });
    expect(await stored(id)).toHaveLength(2);
  });

  it.each([['skip', 'first', [1, 4]], ['upsert', 'last', [3, 4]]] as const)('under %s, keeps the %s row of a key repeated inside one batch and reports the repeat', async (onDuplicate, _which, values) => {
    const id = await createSource({ onDuplicate });
    const res = await pushJson(id, [row('A-1', 10, 1), row('A-1', 10, 2), row('A-1', 11, 4), row('A-1', 10, 3)]);
    expect(res.body).toMatchObject({ status: 'accepted', rowsWritten: 2, rowsDuplicate: 2 });
    expect((res.body as Report).quality.checks.find((c) => c.name === 'duplicates'))
      .toMatchObject({ ok: false, message: expect.stringContaining('2 rows repeat a unique key seen earlier in the batch') });
    expect((await stored(id)).map((r: { value: number }) => r.value)).toEqual(values);
  });

  it('keeps the good rows of a partial bad batch and quarantines the bad ones with row, field and reason', async () => {
    const id = await createSource();
    const res = await pushJson(id, [
      row('A-1', 10, 5), row('A-1', 11, 'lots', { email: 'jane@example.com' }), row('A-1', 12, 7), { sku: 'A-1', store: 's1', qty: 1, colour: 'red' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'partial', rowsReceived: 4, rowsWritten: 2, rowsQuarantined: 2,
      problems: [
        { row: 2, field: 'qty', reason: 'expected a number, got "lots"' },
        { row: 4, field: 'ts', reason: 'is required' },
        { row: 4, field: 'colour', reason: 'is not a field of the source schema' },
      ],
    });
    expect(await stored(id)).toHaveLength(2);
    const quarantined = await ds.query(`SELECT row_number, field, reason, raw, batch_id FROM quarantine WHERE source_id = $1 ORDER BY id`, [id]);
    expect(quarantined).toEqual([
      { row_number: 2, field: 'qty', reason: 'expected a number, got "lots"', raw: expect.objectContaining({ qty: 'lots', sku: 'A-1' }), batch_id: res.body.batchId },
      { row_number: 4, field: 'ts', reason: 'is required', raw: { sku: 'A-1', store: 's1', qty: 1, colour: 'red' }, batch_id: res.body.batchId },
      { row_number: 4, field: 'colour', reason: 'is not a field of the source schema', raw: { sku: 'A-1', store: 's1', qty: 1, colour: 'red' }, batch_id: res.body.batchId },
    ]);
    expect(quarantined[0].raw.email).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes nothing but the batch record and the quarantine when a source refuses partial batches (422)', async () => {
    const id = await createSource({ partialBatches: false });
    const res = await pushJson(id, [row('A-1', 10, 5), row('A-1', 11, -3)]);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'rejected', rowsWritten: 0, rowsQuarantined: 1, problems: [{ row: 2, field: 'qty', reason: '-3 is below the minimum 0' }] });
    expect(res.body.message).toContain('nothing was written');
    expect(await stored(id)).toHaveLength(0);
    const [batch] = await ds.query(`SELECT status, error FROM source_batches WHERE id = $1`, [res.body.batchId]);
    expect(batch.status).toBe('rejected');
    expect(await ds.query(`SELECT row_number FROM quarantine WHERE batch_id = $1`, [res.body.batchId])).toEqual([{ row_number: 2 }]);
  });

  it('never stores a personal field raw, in observations or in quarantine', async () => {
    const id = await createSource();
    await pushJson(id, [
      row('A-1', 10, 5, { email: 'Jane.Doe@example.com', phone: '+44 20 7946 0958' }),
      row('A-1', 11, 'x', { email: 'jane.doe@example.com', phone: '+44 20 7946 0958' }),
    ]);
    const secret = Buffer.from(process.env.OPSLOOP_SECRET_KEY!, 'base64');
    const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'opsloop:hmac:personal-fields', 32));
    const expectedHash = createHmac('sha256', key).update('jane.doe@example.com').digest('hex');
    const [obs] = await stored(id);
    expect(obs.record).toMatchObject({ email: expectedHash, phone: '************0958' });
    const texts = [
      ...(await ds.query(`SELECT record::text AS t FROM observations WHERE source_id = $1`, [id])),
      ...(await ds.query(`SELECT raw::text || ' ' || reason AS t FROM quarantine WHERE source_id = $1`, [id])),
    ].map((r: { t: string }) => r.t.toLowerCase());
    expect(texts).toHaveLength(2);
    for (const text of texts) {
      expect(text).not.toContain('jane');
      expect(text).not.toContain('7946');
    }
  });

  it('keeps source health: rows, quarantine counts, newest timestamp and last success', async () => {
    const id = await createSource();
    await pushJson(id, [row('A-1', 10, 5), row('A-1', 11, 6)]);
    await pushJson(id, [row('A-1', 12, 7), row('A-1', 13, 'bad')]);
    expect(await health(id)).toMatchObject({ healthy: true, rows_total: '3', quarantined_total: '1', consecutive_failures: 0, last_error: null });
    const h = await health(id);
    expect(h.newest_ts.toISOString()).toBe('2024-05-01T12:00:00.000Z');
    expect(h.last_success_at).toBeInstanceOf(Date);
  });

  describe('bad input gets a 4xx that says what was wrong, and nothing is stored', () => {
    let id: string;
    beforeAll(async () => {
      id = await createSource({ config: { maxBatchRows: 3 } });
    });

    const expectNothingStored = async () => expect(await stored(id)).toHaveLength(0);

    it('malformed JSON names the row', async () => {
      const res = await pushRaw(id, 'application/json', `[${JSON.stringify(row('A-1', 1, 1))}, {"sku": "A-2", "qty": }]`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^Malformed JSON in row 2: /);
      await expectNothingStored();
    });

    it('a body that is not an array of objects', async () => {
      expect((await pushRaw(id, 'application/json', '{"data": []}')).body.message).toContain('must be a JSON array of row objects or {"rows": [...]}');
      expect((await pushRaw(id, 'application/json', '[1, 2]')).body.message).toBe('Malformed JSON at row 1: every row must be a JSON object, found "1, 2]"');
      expect((await pushRaw(id, 'application/json', '[{"sku": "A"}')).body.message).toContain('ends before the rows array is closed');
    });

    it('a CSV with a wrong header names the unknown and missing columns', async () => {
      const res = await pushRaw(id, 'text/csv', 'sku,store,when,qty,colour\nA-1,s1,2024-05-01T10:00:00Z,1,red\n');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Wrong CSV header: unknown columns "when", "colour" (not a field of the source schema; map it with headerMap); missing required column "ts"');
      await expectNothingStored();
    });

    it('a CSV row with the wrong number of columns names its line', async () => {
      const res = await pushRaw(id, 'text/csv', 'sku,store,ts,qty\nA-1,s1,2024-05-01T10:00:00Z,1\nA-1,s1\n');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^Malformed CSV at line 3/);
    });

    it('invalid UTF-8 in a CSV or a JSON body', async () => {
      // (NDJSON, because supertest would re-serialise a Buffer sent as application/json; both JSON readers share the decoder.)
      const bad = Buffer.concat([Buffer.from('sku,store,ts,qty\nA-'), Buffer.from([0xff, 0xfe]), Buffer.from(',s1,2024-05-01T10:00:00Z,1\n')]);
      const csv = await pushRaw(id, 'text/csv', bad);
      expect(csv.status).toBe(400);
      expect(csv.body.message).toContain('The CSV is not valid utf-8');
      const json = await pushRaw(id, 'application/x-ndjson', Buffer.concat([Buffer.from('{"sku": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
      expect(json.status).toBe(400);
      expect(json.body.message).toContain('not valid UTF-8');
      await expectNothingStored();
    });

    it('a batch over the source\'s row limit is refused with 413', async () => {
      const res = await pushJson(id, [1, 2, 3, 4].map((h) => row('A-1', h, h)));
      expect(res.status).toBe(413);
      expect(res.body.message).toBe('The batch has more than 3 rows (the source\'s maxBatchRows); split it into smaller batches');
      await expectNothingStored();
    });

    it('an unsupported content type is refused with 415', async () => {
      const res = await pushRaw(id, 'application/xml', '<rows/>');
      expect(res.status).toBe(415);
      expect(res.body.message).toContain('send application/json, application/x-ndjson or text/csv');
    });
  });

  it('refuses a body over the byte cap with 413', async () => {
    const small = await startTestApi({ INGEST_MAX_BATCH_BYTES: '2048' });
    try {
      const id = await createSource();
      const rows = Array.from({ length: 40 }, (_, i) => row(`A-${i}`, 1, i));
      const res = await small.http().post(`/api/v1/sources/${id}/observations`).set(operator).send(rows);
      expect(res.status).toBe(413);
      expect(res.body.message).toContain('larger than 2048 bytes');
      expect(await stored(id)).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  describe('the ingest port, as pull sources use it', () => {
    async function* rowsOf(values: Record<string, unknown>[], failAfter?: number): AsyncIterable<RawRow> {
      for (const [i, v] of values.entries()) {
        if (i === failAfter) throw new Error('the source went away mid-read');
        yield { row: i + 1, values: v };
      }
    }

    it('calls every listener after the commit, and a failing listener does not fail the batch', async () => {
      const id = await createSource();
      const source = (await api.app.get(SourceRepository).get(id))!;
      const heard: { event: ObservationsWritten; visibleRows: number }[] = [];
      class Failing extends IngestListener {
        observationsWritten(): Promise<void> {
          return Promise.reject(new Error('metric refresh down'));
        }
      }
      class Recording extends IngestListener {
        async observationsWritten(event: ObservationsWritten): Promise<void> {
          heard.push({ event, visibleRows: (await stored(id)).length });
        }
      }
      const ingest = new TypeOrmObservationIngest(ds, { hasher: () => personalHasher(Buffer.alloc(32)), listeners: () => [new Failing(), new Recording()] });
      const report = await ingest.ingest(source, rowsOf([row('A-1', 10, 1), row('A-1', 8, 2)]), { origin: 'collect:test' });
      expect(report).toMatchObject({ status: 'accepted', rowsWritten: 2 });
      expect(heard).toEqual([{ event: { sourceId: id, batchId: report.batchId, minTs: '2024-05-01T08:00:00.000Z', maxTs: '2024-05-01T10:00:00.000Z' }, visibleRows: 2 }]);
    });

    it('stores nothing when the rows fail mid-read, and passes the error on', async () => {
      const id = await createSource();
      const source = (await api.app.get(SourceRepository).get(id))!;
      const ingest = api.app.get(ObservationIngest);
      await expect(ingest.ingest(source, rowsOf([row('A-1', 1, 1), row('A-1', 2, 'bad'), row('A-1', 3, 3)], 2), { origin: 'collect:test' }))
        .rejects.toThrow('the source went away mid-read');
      expect(await stored(id)).toHaveLength(0);
      expect(await ds.query(`SELECT 1 FROM quarantine WHERE source_id = $1`, [id])).toHaveLength(0);
      expect(await ds.query(`SELECT 1 FROM source_batches WHERE source_id = $1`, [id])).toHaveLength(0);
    });

    it('records a failed collect as a failed batch and an unhealthy source, without the credentials', async () => {
      const id = await createSource();
      const ingest = api.app.get(ObservationIngest);
      const error = 'connect ECONNREFUSED postgres://erp_reader:s3cret-pw@db.internal:5432/erp (password=hunter2)';
      await ingest.recordFailure(id, error, { origin: 'collect:postgres' });
      await ingest.recordFailure(id, error, { origin: 'collect:postgres' });
      const batches = await ds.query(`SELECT status, origin, error FROM source_batches WHERE source_id = $1`, [id]);
      expect(batches).toHaveLength(2);
      expect(batches[0]).toMatchObject({ status: 'failed', origin: 'collect:postgres', error: expect.stringContaining('ECONNREFUSED postgres://***:***@db.internal') });
      expect(batches[0].error).not.toMatch(/s3cret|hunter2|erp_reader/);
      expect(await health(id)).toMatchObject({ healthy: false, consecutive_failures: 2, last_error: batches[0].error });
      await pushJson(id, [row('A-1', 1, 1)]);
      expect(await health(id)).toMatchObject({ healthy: true, consecutive_failures: 0, rows_total: '1' });
    });
  });

  it('answers 404 for an unknown source, 409 for a pull source, 403 for a viewer', async () => {
    expect((await pushJson(randomUUID(), [row('A-1', 1, 1)])).status).toBe(404);
    const [pull] = await ds.query(
      `INSERT INTO sources (name, kind, schema, config) VALUES ($1, 'postgres', $2, '{"query": "SELECT 1"}') RETURNING id`,
      [`pull ${randomUUID()}`, JSON.stringify(SALES_SCHEMA)],
    );
    const conflict = await pushJson(pull.id, [row('A-1', 1, 1)]);
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain('is a postgres source: it pulls its own data');
    const viewer = await api.http().post('/api/v1/api-keys').set(admin()).send({ name: `viewer ${randomUUID()}`, role: 'viewer' });
    const id = await createSource();
    const denied = await api.http().post(`/api/v1/sources/${id}/observations`).set(bearer(viewer.body.key)).send([row('A-1', 1, 1)]);
    expect(denied.status).toBe(403);
  });
});
