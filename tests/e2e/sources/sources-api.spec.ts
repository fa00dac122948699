/**
 * The sources API through HTTP: definitions with their defaults, every definition error naming
 * its field with nothing stored, sealed credentials that never come back, schema identity fixed
 * once observations exist, roles and 404s.
 */
import { randomUUID } from 'node:crypto';
import {
  Body, fieldsOf, HTTP_TOKEN, httpSource, PG_CONNECTION, PG_PASSWORD, postgresSource, pushSource, salesSchema, SourcesFixture,
  startSourcesApi, uniqueName,
} from './source-api-fixture';

const UNKNOWN_ID = '6c0e7f0a-0000-4000-8000-00000000abcd';

describe('sources API', () => {
  let f: SourcesFixture;
  beforeAll(async () => (f = await startSourcesApi()));
  afterAll(() => f.close());

  const http = () => f.api.http();
  async function create(body: Body): Promise<Body & { id: string }> {
    const res = await http().post('/api/v1/sources').set(f.admin).send(body);
    if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Body & { id: string };
  }
  const patch = (id: string, body: Body) => http().patch(`/api/v1/sources/${id}`).set(f.admin).send(body);
  const sealedOf = async (id: string): Promise<string | null> =>
    ((await f.db.query(`SELECT secret_sealed FROM sources WHERE id = $1`, [id])) as { secret_sealed: string | null }[])[0]!.secret_sealed;

  describe('definitions', () => {
    it('creates a push source with the defaults: skip duplicates, partial batches, warn gate, no secret, fields not required', async () => {
      const body = pushSource();
      delete (body.schema as { fields: Body[] }).fields[4]!.required;
      const res = await http().post('/api/v1/sources').set(f.admin).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: body.name, kind: 'push', config: {}, hasSecret: false, onDuplicate: 'skip', partialBatches: true, gatePolicy: 'warn', quality: {},
      });
      expect(res.body.schema).toEqual(salesSchema());
    });

    it('reads a source back by id and in the list', async () => {
      const source = await create(pushSource({ onDuplicate: 'upsert', gatePolicy: 'block', quality: { expectedCadenceSeconds: 86_400 } }));
      const one = await http().get(`/api/v1/sources/${source.id}`).set(f.viewer);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(source);
      const list = await http().get('/api/v1/sources').set(f.viewer);
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(source);
    });

    it('updates name, policies, quality and config, keeping what the request leaves out', async () => {
      const source = await create(pushSource());
      const res = await patch(source.id, { name: 'renamed ' + randomUUID(), partialBatches: false, quality: { expectedCadenceSeconds: 3600, outlierZ: 4 }, config: { maxBatchRows: 5000 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'push', partialBatches: false, gatePolicy: 'warn', quality: { expectedCadenceSeconds: 3600, outlierZ: 4 }, config: { maxBatchRows: 5000 } });
      expect(res.body.schema).toEqual(source.schema);
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.admin)).body).toEqual(res.body);
    });

    it('refuses a second live source with the same name (409), and frees the name once it is deleted', async () => {
      const source = await create(pushSource());
      const again = await http().post('/api/v1/sources').set(f.admin).send(pushSource({ name: source.name }));
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already exists/);
      const other = await create(pushSource());
      expect((await patch(other.id, { name: source.name })).status).toBe(409);
      expect((await http().delete(`/api/v1/sources/${source.id}`).set(f.admin)).status).toBe(204);
      expect((await http().post('/api/v1/sources').set(f.admin).send(pushSource({ name: source.name }))).status).toBe(201);
    });

    it('soft-deletes: afterwards GET, PATCH and DELETE answer 404 and the list leaves it out, while the row stays', async () => {
      const source = await create(pushSource());
      expect((await http().delete(`/api/v1/sources/${source.id}`).set(f.admin)).status).toBe(204);
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.admin)).status).toBe(404);
      expect((await patch(source.id, { name: 'ghost' })).status).toBe(404);
      expect((await http().delete(`/api/v1/sources/${source.id}`).set(f.admin)).status).toBe(404);
      expect((await http().get(`/api/v1/sources/${source.id}/health`).set(f.admin)).status).toBe(404);
      const list = await http().get('/api/v1/sources').set(f.admin);
      expect((list.body as Body[]).map((s) => s.id)).not.toContain(source.id);
      const rows = await f.db.query(`SELECT deleted_at FROM sources WHERE id = $1`, [source.id]);
      expect(rows[0].deleted_at).not.toBeNull();
    });

    it('refuses to change the kind', async () => {
      const source = await create(pushSource());
      const res = await patch(source.id, { kind: 'csv' });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['kind']);
    });
  });

  describe('definition checks', () => {
    type Case = [string, (b: Body & { schema: Body & { fields: Body[] } }) => void, string];
    const cases: Case[] = [
      ['a field name declared twice', (b) => b.schema.fields.push({ name: 'sku', type: 'string' }), 'schema.fields.5.name'],
      ['a field name that is not an identifier', (b) => (b.schema.fields[3]!.name = 'unit count'), 'schema.fields.3.name'],
      ['an unknown field type', (b) => (b.schema.fields[0]!.type = 'text'), 'schema.fields.0.type'],
      ['a unique key naming an undeclared field', (b) => (b.schema.uniqueKey = ['sku', 'store', 'date']), 'schema.uniqueKey'],
      ['a series key naming an undeclared field', (b) => (b.schema.seriesKey = ['sku', 'region']), 'schema.seriesKey'],
      ['a dimension naming an undeclared field', (b) => (b.schema.dimensions = ['region']), 'schema.dimensions'],
      ['a time field that is not declared', (b) => (b.schema.timeField = 'when'), 'schema.timeField'],
      ['a time field that is not a timestamp', (b) => (b.schema.timeField = 'sku'), 'schema.timeField'],
      ['a value field that is not numeric', (b) => (b.schema.valueField = 'store'), 'schema.valueField'],
      ['a value field that is not declared', (b) => (b.schema.valueField = 'revenue'), 'schema.valueField'],
      ['min on a string field', (b) => (b.schema.fields[0]!.min = 1), 'schema.fields.0.min'],
      ['max on a timestamp field', (b) => (b.schema.fields[2]!.max = 5), 'schema.fields.2.max'],
      ['min above max', (b) => Object.assign(b.schema.fields[3]!, { min: 10, max: 5 }), 'schema.fields.3.min'],
      ['allowed values on a numeric field', (b) => (b.schema.fields[3]!.allowed = ['1']), 'schema.fields.3.allowed'],
      ['a personal time field', (b) => (b.schema.fields[2]!.personal = 'mask'), 'schema.timeField'],
      ['a personal value field', (b) => (b.schema.fields[3]!.personal = 'hash'), 'schema.valueField'],
      ['an unknown personal treatment', (b) => (b.schema.fields[4]!.personal = 'encrypt'), 'schema.fields.4.personal'],
      ['an empty unique key', (b) => (b.schema.uniqueKey = []), 'schema.uniqueKey'],
      ['no schema at all', (b) => delete (b as Body).schema, 'schema'],
      ['an unknown kind', (b) => (b.kind = 'ftp'), 'kind'],
      ['an unknown top-level property', (b) => (b.owner = 'ops'), 'owner'],
      ['a secret on a push source', (b) => (b.secret = { token: 'x' }), 'secret'],
      ['an unknown push config setting', (b) => (b.config = { maxBatchRows: 10, compress: true }), 'config.compress'],
      ['a gate policy that does not exist', (b) => (b.gatePolicy = 'ignore'), 'gatePolicy'],
      ['a non-positive cadence', (b) => (b.quality = { expectedCadenceSeconds: 0 }), 'quality.expectedCadenceSeconds'],
      ['a schema that is a list', (b) => ((b as Body).schema = []), 'schema'],
      ['a field that is not an object', (b) => (b.schema.fields[1] = 'store' as unknown as Body), 'schema.fields.1'],
      ['a null value field', (b) => (b.schema.valueField = null), 'schema.valueField'],
      ['quality that is a list', (b) => (b.quality = []), 'quality'],
      ['config that is null', (b) => (b.config = null), 'config'],
    ];

    it.each(cases)('refuses %s with a 400 naming the field, and stores nothing', async (_, mutate, field) => {
      const body = pushSource() as Body & { schema: Body & { fields: Body[] } };
      mutate(body);
      const res = await http().post('/api/v1/sources').set(f.admin).send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Validation failed');
      expect(fieldsOf(res.body)).toContain(field);
      const named = await f.db.query(`SELECT 1 FROM sources WHERE name = $1`, [body.name]);
      expect(named).toHaveLength(0);
    });

    it.each<[string, () => Body, string]>([
      ['a postgres source without credentials', () => postgresSource({ secret: undefined }), 'secret.connectionString'],
      ['a postgres connection string that is not a postgres URL', () => postgresSource({ secret: { connectionString: 'mysql://x' } }), 'secret.connectionString'],
      ['a postgres source without a query', () => postgresSource({ config: {} }), 'config.query'],
      ['an http source on a host outside the allow-list', () => httpSource({ config: { url: 'https://evil.example.net/sales' } }), 'config.url'],
      ['an http header map that is not strings', () => httpSource({ secret: { headers: { Authorization: 42 } } }), 'secret.headers'],
    ])('refuses %s naming the field, without echoing any credential', async (_, make, field) => {
      const res = await http().post('/api/v1/sources').set(f.admin).send(make());
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain(field);
      expect(JSON.stringify(res.body)).not.toContain(PG_PASSWORD);
    });

    it('reports every problem of a definition at once', async () => {
      const body = pushSource() as Body & { schema: Body & { fields: Body[] } };
      Object.assign(body.schema, { timeField: 'sku', valueField: 'store', dimensions: ['nowhere'] });
      const res = await http().post('/api/v1/sources').set(f.admin).send(body);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body).sort()).toEqual(['schema.dimensions', 'schema.timeField', 'schema.valueField']);
    });

    it.each(['name', 'schema', 'config', 'quality', 'gatePolicy', 'partialBatches'])('refuses null for %s on an update, naming it', async (prop) => {
      const source = await create(pushSource());
      const res = await patch(source.id, { [prop]: null });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain(prop);
    });

    it('checks an update against the merged definition, and leaves the source as it was', async () => {
      const source = await create(pushSource());
      const fields = salesSchema().fields.filter((fl) => fl.name !== 'units');
      const res = await patch(source.id, { schema: { ...salesSchema(), fields } });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain('schema.valueField');
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.admin)).body).toEqual(source);
    });
  });

  describe('credentials', () => {
    it('seals a postgres connection string: responses only say hasSecret, the row holds no plaintext', async () => {
      const res = await http().post('/api/v1/sources').set(f.admin).send(postgresSource());
      expect(res.status).toBe(201);
      expect(res.body.hasSecret).toBe(true);
      expect(res.body).not.toHaveProperty('secret');
      const reads = [res, await http().get(`/api/v1/sources/${res.body.id}`).set(f.viewer), await http().get('/api/v1/sources').set(f.viewer)];
      for (const r of reads) expect(JSON.stringify(r.body)).not.toContain(PG_PASSWORD);
      const sealed = await sealedOf(res.body.id as string);
      expect(sealed).not.toContain(PG_PASSWORD);
      expect(JSON.parse(f.box.open(sealed!))).toEqual({ connectionString: PG_CONNECTION });
    });

    it('keeps the sealed credentials on an update that leaves them out, and replaces them on one that sets them', async () => {
      const source = await create(postgresSource());
      const before = await sealedOf(source.id);
      const edited = await patch(source.id, { config: { query: 'SELECT sku, store, day, units FROM sales', rowLimit: 500 } });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ hasSecret: true, config: { query: 'SELECT sku, store, day, units FROM sales', rowLimit: 500 } });
      expect(await sealedOf(source.id)).toBe(before);
      const rotated = await patch(source.id, { secret: { connectionString: 'postgres://reader:new-pw-91@db.internal:5432/sales' } });
      expect(rotated.status).toBe(200);
      expect(JSON.stringify(rotated.body)).not.toContain('new-pw-91');
      expect(JSON.parse(f.box.open((await sealedOf(source.id))!))).toEqual({ connectionString: 'postgres://reader:new-pw-91@db.internal:5432/sales' });
    });

    it('removes optional http headers with secret: null, but refuses to drop a postgres connection string', async () => {
      const web = await create(httpSource());
      expect(web.hasSecret).toBe(true);
      expect(JSON.stringify(web)).not.toContain(HTTP_TOKEN);
      const cleared = await patch(web.id, { secret: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.hasSecret).toBe(false);
      expect(await sealedOf(web.id)).toBeNull();
      const pg = await create(postgresSource());
      const refused = await patch(pg.id, { secret: null });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual(['secret.connectionString']);
      expect(await sealedOf(pg.id)).not.toBeNull();
    });
  });

  describe('schema changes once observations exist', () => {
    async function withObservation(): Promise<Body & { id: string }> {
      const source = await create(pushSource());
      await f.db.query(
        `INSERT INTO observations (source_id, unique_key, series_key, dims, ts, value, record, batch_id)
         VALUES ($1, 'A-1|north|2025-03-01', 'A-1|north', '{"store":"north"}', '2025-03-01T00:00:00Z', 4, '{}', $2)`,
        [source.id, randomUUID()],
      );
      return source;
    }

    it.each([
      ['uniqueKey', { uniqueKey: ['sku', 'day'] }],
      ['timeField', { fields: [...salesSchema().fields, { name: 'booked', type: 'timestamp' }], timeField: 'booked' }],
      ['seriesKey', { seriesKey: ['sku'] }],
    ])('refuses to change schema.%s with 409, saying why', async (part, change) => {
      const source = await withObservation();
      const res = await patch(source.id, { schema: { ...salesSchema(), ...change } });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(new RegExp(`already has observations.*schema\\.${part}`));
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.admin)).body.schema).toEqual(salesSchema());
    });

    it('allows other schema edits, such as a new field and a new dimension', async () => {
      const source = await withObservation();
      const schema = { ...salesSchema(), fields: [...salesSchema().fields, { name: 'channel', type: 'string' }], dimensions: ['store', 'channel'] };
      const res = await patch(source.id, { schema });
      expect(res.status).toBe(200);
      expect(res.body.schema.dimensions).toEqual(['store', 'channel']);
    });

    it('allows identity changes while the source has no observations', async () => {
      const source = await create(pushSource());
      const res = await patch(source.id, { schema: { ...salesSchema(), uniqueKey: ['sku', 'day'], seriesKey: ['sku'] } });
      expect(res.status).toBe(200);
      expect(res.body.schema).toMatchObject({ uniqueKey: ['sku', 'day'], seriesKey: ['sku'] });
    });
  });

  describe('roles and unknown ids', () => {
    it('lets viewers read but not create; operators neither create, edit nor delete', async () => {
      const source = await create(pushSource());
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.viewer)).status).toBe(200);
      expect((await http().post('/api/v1/sources').set(f.viewer).send(pushSource())).status).toBe(403);
      expect((await http().post('/api/v1/sources').set(f.operator).send(pushSource())).status).toBe(403);
      expect((await http().patch(`/api/v1/sources/${source.id}`).set(f.operator).send({ name: uniqueName() })).status).toBe(403);
      expect((await http().delete(`/api/v1/sources/${source.id}`).set(f.operator)).status).toBe(403);
      expect((await http().get(`/api/v1/sources/${source.id}`).set(f.admin)).status).toBe(200);
      expect((await http().get('/api/v1/sources')).status).toBe(401);
    });

    it.each([
      ['GET', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/health'], ['GET', '/batches'], ['GET', `/batches/${randomUUID()}`], ['GET', '/quarantine'],
    ])('answers 404 to %s on an unknown source%s', async (method, suffix) => {
      const url = `/api/v1/sources/${UNKNOWN_ID}${suffix}`;
      const req = method === 'GET' ? http().get(url) : method === 'PATCH' ? http().patch(url).send({ name: 'x' }) : http().delete(url);
      const res = await req.set(f.admin);
      expect(res.status).toBe(404);
      expect(res.body.message).toContain(UNKNOWN_ID);
    });

    it('answers 400 to an id that is not a uuid', async () => {
      expect((await http().get('/api/v1/sources/not-a-uuid').set(f.admin)).status).toBe(400);
    });
  });
});
