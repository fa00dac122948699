import { bearer, startTestApi, TestApi } from '../support/test-apps';

describe('request validation and error shapes', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi()));
  afterAll(() => api.close());

  const post = (body: unknown) =>
    api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).set('Content-Type', 'application/json').send(body as object);

  it('lists every bad field with its own messages', async () => {
    const res = await post({ id: 'nope', message: '' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Validation failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['id', 'message']);
  });

  it('refuses fields the route does not know', async () => {
    const res = await post({ id: '0b7a2a59-5b7e-4a53-a8e3-6fd9f5e8d6c1', message: 'hi', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'admin', messages: ['property admin should not exist'] });
  });

  it('answers malformed JSON with a JSON 400, not a 500', async () => {
    const res = await post('{"id": ');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Malformed JSON body/);
  });

  it('answers 404 for an unknown route and for an unknown id', async () => {
    expect((await api.http().get('/api/v1/does-not-exist').set(bearer(api.adminKey))).status).toBe(404);
    const res = await api.http().get('/api/v1/round-trips/0b7a2a59-5b7e-4a53-a8e3-000000000000').set(bearer(api.adminKey));
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/No round trip/);
  });

  it('answers 400 for a malformed id in the path', async () => {
    expect((await api.http().get('/api/v1/round-trips/123').set(bearer(api.adminKey))).status).toBe(400);
  });

  it('serves OpenAPI with bearer auth declared', async () => {
    const res = await api.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/round-trips', '/api/v1/api-keys']));
    expect((await api.http().get('/api/docs')).status).toBe(200);
  });
});
