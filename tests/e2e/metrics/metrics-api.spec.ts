import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricSeries } from '@opsloop/loops';
import { IngestListener, MetricRefreshListener } from '@opsloop/persistence';
import { insertSales, insertSource, metricKey } from '../../integration/metrics/metric-fixtures';
import { bearer, startTestApi, TestApi } from '../../support/test-apps';

describe('metrics API', () => {
  let api: TestApi;
  let source: string;
  let viewer: Record<string, string>;
  let operator: Record<string, string>;
  let admin: Record<string, string>;

  const definition = (key: string, extra: Record<string, unknown> = {}) => ({
    key, name: 'Revenue', owner: 'finance', unit: 'EUR', source, aggregation: { type: 'sum' }, grain: 'day', dimensions: ['region'], ...extra,
  });
  const create = (body: unknown, who = admin) => api.http().post('/api/v1/metrics').set(who).send(body as object);
  const get = (path: string, who = viewer) => api.http().get(`/api/v1/metrics${path}`).set(who);
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  beforeAll(async () => {
    api = await startTestApi();
    admin = bearer(api.adminKey);
    const key = async (role: string) => bearer((await api.http().post('/api/v1/api-keys').set(admin).send({ name: `metrics ${role} ${randomUUID()}`, role })).body.key);
    viewer = await key('viewer');
    operator = await key('operator');
    const ds = api.app.get(DataSource);
    source = await insertSource(ds);
    await insertSales(ds, source, [
      { ts: '2025-09-01T10:00:00Z', amount: 10, region: 'north', channel: 'web' },
      { ts: '2025-09-01T11:00:00Z', amount: 20, region: 'south', channel: 'shop' },
      { ts: '2025-09-02T10:00:00Z', amount: 5, region: 'north', channel: 'web' },
    ]);
  });
  afterAll(() => api.close());

  it('lets an admin define a metric and anyone with a key read it; 401 without a key, 403 below admin', async () => {
    const key = metricKey('revenue');
    expect((await api.http().post('/api/v1/metrics').send(definition(key))).status).toBe(401);
    expect((await create(definition(key), operator)).status).toBe(403);
    const created = await create(definition(key));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, version: 1, source, measure: 'amount', dimensions: ['region'], createdBy: 'bootstrap admin (OPSLOOP_ADMIN_KEY)' });
    expect((await get(`/${key}`)).body).toMatchObject({ key, version: 1, versions: [{ version: 1 }] });
    expect((await get('')).body.map((m: { key: string }) => m.key)).toContain(key);
    expect((await api.http().get(`/api/v1/metrics/${key}`)).status).toBe(401);
  });

  it('answers 409 for a key that exists, and adds versions instead', async () => {
    const key = metricKey('revenue');
    await create(definition(key));
    const again = await create(definition(key));
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(`/api/v1/metrics/${key}/versions`);
    const { key: _, ...body } = definition(key, { filter: [{ field: 'channel', op: 'eq', value: 'web' }] });
    expect((await api.http().post(`/api/v1/metrics/${key}/versions`).set(operator).send(body)).status).toBe(403);
    const v2 = await api.http().post(`/api/v1/metrics/${key}/versions`).set(admin).send(body);
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ key, version: 2, filter: [{ field: 'channel', op: 'eq', value: 'web' }] });
    expect((await get(`/${key}`)).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await get(`/${key}/versions/1`)).body).toMatchObject({ version: 1, filter: [] });
    const mismatch = await api.http().post(`/api/v1/metrics/${key}/versions`).set(admin).send({ ...body, key: 'other' });
    expect(fieldsOf(mismatch)).toEqual(['key']);
  });

  it('reads values with a range, group-by, dimension filter, version and comparison', async () => {
    const key = metricKey('revenue');
    await create(definition(key));
    const range = 'from=2025-09-01T00:00:00Z&to=2025-09-03T00:00:00Z';
    const totals = await get(`/${key}/values?${range}`);
    expect(totals.status).toBe(200);
    expect(totals.body).toMatchObject({ key, version: 1, grain: 'day', from: '2025-09-01T00:00:00.000Z', to: '2025-09-03T00:00:00.000Z', groupBy: [], asOf: null });
    expect(totals.body.values).toEqual([
      { bucket: '2025-09-01T00:00:00.000Z', dims: {}, value: 30, nullReason: null },
      { bucket: '2025-09-02T00:00:00.000Z', dims: {}, value: 5, nullReason: null },
    ]);
    const north = await get(`/${key}/values?${range}&groupBy=region&dims[region]=north`);
    expect(north.body.values.map((v: { dims: object; value: number }) => [v.dims, v.value])).toEqual([[{ region: 'north' }, 10], [{ region: 'north' }, 5]]);
    const compared = await get(`/${key}/values?from=2025-09-02T00:00:00Z&to=2025-09-03T00:00:00Z&compare=previous-period&version=1`);
    expect(compared.body.values[0].comparison).toEqual({ bucket: '2025-09-01T00:00:00.000Z', value: 30, change: -25, changeRatio: -25 / 30 });
    const asOf = await get(`/${key}/values?${range}&asOf=${new Date().toISOString()}`);
    expect(asOf.body.values).toEqual(totals.body.values);
  });

  it('refuses a definition naming an unknown source field or dimension, naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ measure: 'amout' }, 'measure', /unknown field "amout"/],
      [{ dimensions: ['region', 'colour'] }, 'dimensions', /unknown dimension "colour"/],
      [{ filter: [{ field: 'colour', op: 'eq', value: 'red' }] }, 'filter.0.field', /unknown field "colour"/],
      [{ aggregation: { type: 'distinct-count', field: 'buyer' } }, 'aggregation.field', /unknown field "buyer"/],
      [{ aggregation: { type: 'percentile', p: 1.5 } }, 'aggregation.p', /between 0 and 1/],
      [{ aggregation: { type: 'sum', p: 0.5 } }, 'aggregation.p', /does not apply to a sum metric/],
      [{ aggregation: { type: 'ratio', numerator: 'nope', denominator: 'nada' }, source: undefined }, 'aggregation.numerator', /no metric with key "nope"/],
      [{ source: '00000000-0000-4000-8000-000000000000' }, 'source', /no source with id/],
      [{ grain: 'fortnight' }, 'grain', /grain must be one of/],
      [{ key: 'Not A Slug' }, 'key', /metric key/],
      [{ target: 'high' }, 'target', /target must be a number/],
    ];
    for (const [extra, field, message] of cases) {
      const res = await create(definition(metricKey('bad'), extra));
      expect([res.status, fieldsOf(res)]).toEqual([400, expect.arrayContaining([field])]);
      expect(res.body.errors.flatMap((e: { messages: string[] }) => e.messages).join('\n')).toMatch(message);
    }
  });

  it('names every bad values query parameter', async () => {
    const key = metricKey('revenue');
    await create(definition(key));
    const cases: [string, string][] = [
      ['groupBy=colour', 'groupBy'], ['dims[colour]=red', 'dims[colour]'], ['dims[region]=a&dims[region]=b', 'dims[region]'],
      ['from=yesterday', 'from'], ['from=2025-09-03T00:00:00Z&to=2025-09-01T00:00:00Z', 'from'], ['asOf=soon', 'asOf'],
      ['compare=last-week', 'compare'], ['version=0', 'version'], ['limit=5', 'limit'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/${key}/values?${query}`);
      expect([query, res.status, fieldsOf(res)]).toEqual([query, 400, [field]]);
    }
    expect(fieldsOf(await get(`/${key}/versions/abc`))).toEqual(['version']);
  });

  it('answers 404 for an unknown key or version, and for an as-of before the first version', async () => {
    expect((await get('/no-such-metric')).status).toBe(404);
    expect((await get('/no-such-metric/values')).status).toBe(404);
    expect((await api.http().post('/api/v1/metrics/no-such-metric/versions').set(admin).send(definition('x'))).status).toBe(404);
    const key = metricKey('revenue');
    await create(definition(key));
    const missing = await get(`/${key}/versions/9`);
    expect([missing.status, missing.body.message]).toEqual([404, `Metric "${key}" has no version 9`]);
    expect((await get(`/${key}/values?version=9`)).status).toBe(404);
    const early = await get(`/${key}/values?asOf=2020-01-01T00:00:00Z`);
    expect([early.status, early.body.message]).toEqual([404, `Metric "${key}" had no version yet at 2020-01-01T00:00:00.000Z`]);
  });

  it('binds the ingest listener and the MetricSeries port loop kinds read', async () => {
    expect(api.app.get(IngestListener)).toBeInstanceOf(MetricRefreshListener);
    const key = metricKey('revenue');
    await create(definition(key));
    const read = await api.app.get(MetricSeries).read(key, { points: 2, until: '2025-09-03T00:00:00Z', dims: { region: 'north' } });
    expect(read).toEqual({ key, version: 1, grain: 'day', points: [{ bucket: '2025-09-01T00:00:00.000Z', value: 10 }, { bucket: '2025-09-02T00:00:00.000Z', value: 5 }] });
  });

  it('refreshes stored values as soon as a pushed batch is ingested, before anyone reads them', async () => {
    const schema = {
      fields: [{ name: 'id', type: 'string', required: true }, { name: 'ts', type: 'timestamp', required: true }, { name: 'qty', type: 'number', required: true }, { name: 'store', type: 'string', required: true }],
      uniqueKey: ['id'], timeField: 'ts', seriesKey: ['store'], valueField: 'qty', dimensions: ['store'],
    };
    const made = await api.http().post('/api/v1/sources').set(admin).send({ name: `metric push ${metricKey('s')}`, kind: 'push', schema });
    expect(made.status).toBe(201);
    const key = metricKey('units');
    await create({ key, name: 'Units', owner: 'ops', unit: 'units', source: made.body.id, aggregation: { type: 'sum' }, grain: 'day', dimensions: ['store'] });
    const rows = [{ id: 'a', ts: '2025-09-01T08:00:00Z', qty: 3, store: 's1' }, { id: 'b', ts: '2025-09-01T09:00:00Z', qty: 4, store: 's2' }];
    expect((await api.http().post(`/api/v1/sources/${made.body.id}/observations`).set(operator).send(rows)).status).toBeLessThan(300);

    const stored = await api.app.get(DataSource).query(`SELECT value FROM metric_values WHERE key = $1 AND dim_set = '{}'`, [key]);
    expect(stored).toEqual([{ value: 7 }]);
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = Object.keys((await api.http().get('/api/docs-json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/metrics', '/api/v1/metrics/{key}', '/api/v1/metrics/{key}/versions', '/api/v1/metrics/{key}/versions/{version}', '/api/v1/metrics/{key}/values']));
  });
});
