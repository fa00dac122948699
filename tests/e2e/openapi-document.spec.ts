/**
 * The OpenAPI document a client or a fuzzer relies on, as /api/docs-json serves it, and the server
 * agreeing with it: statuses, the shared error body, uuid and integer parameters, the push route's
 * media types, and 405 for a method a known path does not take.
 */
import { randomUUID } from 'node:crypto';
import { bearer, startTestApi, TestApi } from '../support/test-apps';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const ERROR_REF = '#/components/schemas/ErrorBodyDto';

describe('OpenAPI document', () => {
  let api: TestApi;
  let doc: Json;
  let operations: { label: string; path: string; op: Json }[];

  beforeAll(async () => {
    api = await startTestApi();
    doc = (await api.http().get('/api/docs-json').expect(200)).body;
    operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((m) => m in item).map((m) => ({ label: `${m.toUpperCase()} ${path}`, path, op: item[m] as Json })));
  });
  afterAll(() => api.close());

  const refersToError = (schema: Json | undefined) => schema?.$ref === ERROR_REF || (schema?.allOf ?? []).some((s: Json) => s.$ref === ERROR_REF);
  const resolve = (schema: Json): Json => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);

  it('documents every route of the API', () => {
    expect(operations.length).toBeGreaterThanOrEqual(45);
  });

  it('gives every operation a success status with its body schema (none for a 204)', () => {
    const missing = operations.filter(({ op }) => {
      const success = Object.entries(op.responses as Json).filter(([status]) => /^2\d\d$/.test(status));
      return success.length === 0 || success.some(([status, r]) => status !== '204' && !r.content?.['application/json']?.schema);
    });
    expect(missing.map((o) => o.label)).toEqual([]);
  });

  it('gives every /api/v1 operation 401 and its 4xx answers the one error body schema', () => {
    const v1 = operations.filter((o) => o.path.startsWith('/api/v1'));
    expect(v1.filter(({ op }) => !op.responses['401']).map((o) => o.label)).toEqual([]);
    const wrong = v1.flatMap(({ label, op }) => Object.entries(op.responses as Json)
      .filter(([status, r]) => /^4\d\d$/.test(status) && !refersToError(r.content?.['application/json']?.schema))
      .map(([status]) => `${label} ${status}`));
    expect(wrong).toEqual([]);
  });

  it('describes the error body with the per-field errors of a 400', () => {
    const error = doc.components.schemas.ErrorBodyDto;
    expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'message']));
    expect(error.properties.statusCode.type).toBe('integer');
    expect(resolve(error.properties.errors.items).required).toEqual(['field', 'messages']);
  });

  it('declares 403 only on routes a lower role may not use', () => {
    const viewerRoutes = operations.filter(({ op }) => op.responses['401'] && !op.responses['403']).map((o) => o.label);
    expect(viewerRoutes).toEqual(expect.arrayContaining(['GET /api/v1/me', 'GET /api/v1/loops', 'GET /api/v1/runs']));
    expect(operations.find((o) => o.label === 'POST /api/v1/loops')!.op.responses['403']).toBeDefined();
  });

  it('types every id path parameter as a uuid', () => {
    const ids = operations.flatMap(({ label, op }) => (op.parameters ?? [])
      .filter((p: Json) => p.in === 'path' && /^(id|\w+Id)$/.test(p.name))
      .map((p: Json) => ({ label, name: p.name, format: p.schema?.format })));
    expect(ids.length).toBeGreaterThan(25);
    expect(ids.filter((p) => p.format !== 'uuid')).toEqual([]);
  });

  it('types paging and version parameters as integers with bounds', () => {
    const ints = operations.flatMap(({ label, op }) => (op.parameters ?? [])
      .filter((p: Json) => ['limit', 'offset', 'afterSeq', 'before', 'version'].includes(p.name))
      .map((p: Json) => ({ label, name: p.name, type: p.schema?.type, bounded: typeof p.schema?.minimum === 'number' && typeof p.schema?.maximum === 'number' })));
    expect(ints.map((p) => `${p.label} ${p.name}`)).toEqual(expect.arrayContaining(['GET /api/v1/ledger afterSeq', 'GET /api/v1/ledger limit', 'GET /api/v1/runs limit']));
    expect(ints.filter((p) => p.type !== 'integer' || !p.bounded)).toEqual([]);
  });

  it('declares the push body in its three media types', () => {
    const body = doc.paths['/api/v1/sources/{id}/observations'].post.requestBody;
    expect(Object.keys(body.content).sort()).toEqual(['application/json', 'application/x-ndjson', 'text/csv']);
    expect(body.content['application/json'].schema.oneOf.map((s: Json) => s.type)).toEqual(['array', 'object']);
    expect(body.content['text/csv'].schema.type).toBe('string');
  });

  it('marks request objects closed, as the server refuses unknown fields', () => {
    expect(resolve(doc.paths['/api/v1/loops'].post.requestBody.content['application/json'].schema).additionalProperties).toBe(false);
    expect(doc.components.schemas.TriggerDto.additionalProperties).toBe(false);
  });

  it('describes the key as an opaque bearer secret with the header spelled out', () => {
    const scheme = doc.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme.bearerFormat).toBeUndefined();
    expect(scheme.description).toContain('`Authorization: Bearer <key>`');
  });

  describe('the server agrees', () => {
    it('answers a method a known path does not take with 405 and Allow', async () => {
      const trace = await api.http().trace('/health');
      expect(trace.status).toBe(405);
      expect(trace.headers.allow).toBe('GET, HEAD');
      expect(trace.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
      const put = await api.http().put(`/api/v1/loops/${randomUUID()}`).set(bearer(api.adminKey));
      expect([put.status, put.headers.allow]).toEqual([405, 'DELETE, GET, HEAD, PATCH']);
      const options = await api.http().options('/api/v1/sources');
      expect([options.status, options.headers.allow]).toEqual([204, 'GET, HEAD, POST']);
      expect((await api.http().trace('/no/such/path')).status).toBe(404);
    });

    it.each([['limit=1.5'], ['limit=1e1'], ['limit='], ['offset=0x10'], ['limit=5&limit=6']])('refuses the non-integer query %s with a 400 naming it', async (query) => {
      const res = await api.http().get(`/api/v1/runs?${query}`).set(bearer(api.adminKey));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: Json) => e.field)).toEqual([query.split('=')[0]]);
    });

    it('reads a plain integer query as a number', async () => {
      const res = await api.http().get('/api/v1/ledger?afterSeq=0&limit=2').set(bearer(api.adminKey));
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(2);
    });

    it('refuses a path id that is not a uuid with a 400 naming it', async () => {
      const res = await api.http().get(`/api/v1/sources/${randomUUID()}/batches/not-a-uuid`).set(bearer(api.adminKey));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: 'Validation failed', errors: [{ field: 'batchId', messages: ['batchId must be a UUID'] }] });
    });

    it('takes date-time offsets ISO 8601 allows and Postgres does not, as the same instant', async () => {
      const ok = await api.http().get(`/api/v1/runs?from=${encodeURIComponent('9456-09-19T12:46:57+19:25')}`).set(bearer(api.adminKey));
      expect(ok.status).toBe(200);
      const bad = await api.http().get('/api/v1/runs?from=0000-01-01T00:00:00Z').set(bearer(api.adminKey));
      expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'from']);
    });

    it('refuses null where the document allows none, and a missing required object, with a 400 naming the field', async () => {
      const created = await api.http().post('/api/v1/loops').set(bearer(api.adminKey)).send({ name: `openapi null ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' } });
      expect(created.status).toBe(201);
      for (const field of ['actionTarget', 'approval', 'trigger', 'params']) {
        const res = await api.http().patch(`/api/v1/loops/${created.body.id}`).set(bearer(api.adminKey)).send({ [field]: null });
        expect([field, res.status, res.body.errors?.map((e: Json) => e.field)]).toEqual([field, 400, [field]]);
      }
      const noTrigger = await api.http().post('/api/v1/loops').set(bearer(api.adminKey)).send({ name: 'no trigger', kind: 'noop' });
      expect([noTrigger.status, noTrigger.body.errors?.map((e: Json) => e.field)]).toEqual([400, ['trigger']]);
      const noAggregation = await api.http().post('/api/v1/metrics').set(bearer(api.adminKey)).send({ key: 'no-aggregation', name: 'x', owner: 'x', unit: 'x', grain: 'day' });
      expect([noAggregation.status, noAggregation.body.errors?.map((e: Json) => e.field)]).toEqual([400, ['aggregation']]);
    });

    it('takes a PATCH without a body as a change of nothing, as the document says the body is optional', async () => {
      expect(doc.paths['/api/v1/loops/{id}'].patch.requestBody.required).toBe(false);
      expect(doc.paths['/api/v1/loops/{id}/events'].post.requestBody.required).toBe(true);
      const created = await api.http().post('/api/v1/loops').set(bearer(api.adminKey)).send({ name: `openapi empty patch ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' } });
      const res = await api.http().patch(`/api/v1/loops/${created.body.id}`).set(bearer(api.adminKey));
      expect([res.status, res.body.name]).toEqual([200, created.body.name]);
    });

    it('names the role a 403 needs', async () => {
      const viewer = await api.http().post('/api/v1/api-keys').set(bearer(api.adminKey)).send({ name: `openapi viewer ${randomUUID()}`, role: 'viewer' });
      const res = await api.http().post('/api/v1/loops').set(bearer(viewer.body.key)).send({});
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', requiredRole: 'operator' });
    });
  });
});
