/**
 * Pushes at the edges, through the real API and Postgres: JSON bodies of many request chunks,
 * one huge row in each format (refused naming the row, nothing stored), keys too long to index
 * (quarantined, no 500), CSV errors naming the data row users count, and a refused push that
 * leaves no error in the Postgres or API logs.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bearer, startTestApi, TestApi } from '../../support/test-apps';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgConnection = require('pg/lib/connection') as { prototype: { sendCopyFail(message: string): void } };

const SCHEMA = {
  fields: [
    { name: 'sku', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'qty', type: 'number', required: true },
    { name: 'note', type: 'string', required: false },
  ],
  uniqueKey: ['sku', 'ts'], timeField: 'ts', seriesKey: ['sku'], valueField: 'qty', dimensions: [],
};
const MiB = 1024 * 1024;
const row = (i: number, extra: Record<string, unknown> = {}) => ({ sku: `A-${i % 50}`, ts: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(), qty: i, ...extra });

describe('push ingest at the edges', () => {
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    api = await startTestApi();
    ds = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  async function createSource(kind = 'push'): Promise<string> {
    const res = await api.http().post('/api/v1/sources').set(bearer(api.adminKey)).send({ name: `edges ${randomUUID()}`, kind, schema: SCHEMA });
    if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }
  const push = (id: string, type: string, body: string | Buffer) =>
    api.http().post(`/api/v1/sources/${id}/observations`).set(bearer(api.adminKey)).set('Content-Type', type).send(body);
  const count = async (table: string, id: string) => Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE source_id = $1`, [id]))[0].n);

  it.each([
    ['a JSON array', (rows: object[]) => JSON.stringify(rows)],
    ['the {"rows": [...]} form', (rows: object[]) => JSON.stringify({ rows }, null, 1)],
  ])('stores every row of %s far over one 64 KiB request chunk', async (_form, serialize) => {
    const id = await createSource();
    const rows = Array.from({ length: 30_000 }, (_, i) => row(i, { note: i % 7 === 0 ? 'ü "quoted" \\ [x] {y}' : 'plain' }));
    const body = serialize(rows);
    expect(body.length).toBeGreaterThan(2 * MiB);
    const res = await push(id, 'application/json', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'accepted', rowsReceived: 30_000, rowsWritten: 30_000 });
    expect(await count('observations', id)).toBe(30_000);
    const [note] = await ds.query(`SELECT record->>'note' AS note FROM observations WHERE source_id = $1 AND value = 7`, [id]);
    expect(note.note).toBe('ü "quoted" \\ [x] {y}');
  });

  describe('one huge row', () => {
    const huge = 'x'.repeat(20 * MiB);
    it.each([
      ['application/json', `[${JSON.stringify(row(1))},${JSON.stringify(row(2, { note: huge }))},${JSON.stringify(row(3))}]`],
      ['application/x-ndjson', `${JSON.stringify(row(1))}\n${JSON.stringify(row(2, { note: huge }))}\n${JSON.stringify(row(3))}\n`],
      ['text/csv', `sku,ts,qty,note\nA-1,2024-01-01T00:00:00Z,1,\nA-2,2024-01-01T00:00:00Z,2,"${huge}"\nA-3,2024-01-01T00:00:00Z,3,\n`],
    ])('as %s is refused with 413 naming the row, and nothing of the batch is stored', async (type, body) => {
      const id = await createSource();
      const res = await push(id, type, body);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        statusCode: 413, error: 'Payload Too Large',
        message: 'Row 2 is larger than 1048576 bytes (INGEST_MAX_ROW_BYTES): nothing of the batch was stored; shorten or split that row',
      });
      expect(await count('observations', id)).toBe(0);
      expect(await count('quarantine', id)).toBe(0);
      expect(await count('source_batches', id)).toBe(0);
      // The API still takes the next batch.
      expect((await push(id, 'application/json', JSON.stringify([row(1)]))).status).toBe(201);
    });

    it('is measured against INGEST_MAX_ROW_BYTES when it is set', async () => {
      const small = await startTestApi({ INGEST_MAX_ROW_BYTES: '4096' });
      try {
        const id = await createSource();
        const send = (note: string) => small.http().post(`/api/v1/sources/${id}/observations`).set(bearer(small.adminKey)).send([row(1), row(2), row(3, { note })]);
        const refused = await send('é'.repeat(2100));
        expect(refused.status).toBe(413);
        expect(refused.body.message).toMatch(/^Row 3 is larger than 4096 bytes/);
        expect((await send('é'.repeat(1900))).status).toBe(201);
      } finally {
        await small.close();
      }
    });
  });

  it('quarantines a row whose key is too long to index, naming the field, and keeps the others', async () => {
    const id = await createSource();
    const res = await push(id, 'application/json', JSON.stringify([row(1), { ...row(2), sku: 'S'.repeat(3000) }, row(3)]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'partial', rowsWritten: 2, rowsQuarantined: 1,
      problems: [{ row: 2, field: 'sku', reason: expect.stringContaining('is too long for a key: it makes the unique key 3025 bytes') }],
    });
    expect(await count('observations', id)).toBe(2);
  });

  describe('CSV rows are numbered as users count them: data rows from 1 after the header', () => {
    const header = 'sku,ts,qty,note\n';
    it('a malformed record names its data row and line', async () => {
      const id = await createSource('csv');
      const csv = `${header}A-1,2024-01-01T00:00:00Z,1,"two\nlines"\n\nA-2,2024-01-01T01:00:00Z,2,\nA-3,2024-01-01T02:00:00Z\nA-4,2024-01-01T03:00:00Z,4,\n`;
      const res = await push(id, 'text/csv', csv);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^Malformed CSV at line 6 \(data row 3\): Invalid Record Length/);
      expect(await count('observations', id)).toBe(0);
    });

    it('a quarantined record carries its data row', async () => {
      const id = await createSource('csv');
      const res = await push(id, 'text/csv', `${header}\nA-1,2024-01-01T00:00:00Z,1,"two\nlines"\nA-2,2024-01-01T01:00:00Z,lots,\n`);
      expect(res.body).toMatchObject({ status: 'partial', problems: [{ row: 2, field: 'qty', reason: 'expected a number, got "lots"' }] });
      expect(await ds.query(`SELECT row_number FROM quarantine WHERE source_id = $1`, [id])).toEqual([{ row_number: 2 }]);
    });
  });

  it('a refused push makes neither Postgres nor the API log an error', async () => {
    const id = await createSource();
    const copyFails = jest.spyOn(PgConnection.prototype, 'sendCopyFail');
    const logged = [jest.spyOn(Logger.prototype, 'error'), jest.spyOn(Logger.prototype, 'warn')];
    try {
      // Rows first, so the COPY is under way when the body breaks.
      const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify(row(i)));
      const refused = [
        await push(id, 'application/json', `[${rows.join(',')},{"sku": "A-1", "qty": }]`),
        await push(id, 'application/x-ndjson', `${rows.join('\n')}\n{"sku":"${'x'.repeat(2 * MiB)}"}\n`),
        await push(id, 'text/csv', 'sku,ts,qty\nA-1,2024-01-01T00:00:00Z,1\nA-1,2024\n'),
      ];
      expect(refused.map((r) => r.status)).toEqual([400, 413, 400]);
      // Postgres logs "ERROR: COPY from stdin failed: <reason>" for every CopyFail it gets.
      expect(copyFails).not.toHaveBeenCalled();
      for (const spy of logged) expect(spy).not.toHaveBeenCalled();
      expect(await count('observations', id)).toBe(0);
      expect((await push(id, 'application/json', JSON.stringify([row(1)]))).status).toBe(201);
    } finally {
      copyFails.mockRestore();
      for (const spy of logged) spy.mockRestore();
    }
  });
});
