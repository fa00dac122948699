/**
 * The http pull connector against a local JSON server: pagination of each style, field mapping,
 * the allow-list, retries, and (through the API) a collect that writes observations or, when
 * the server stays down, marks the source unhealthy.
 */
import { HttpSource, OutboundPolicy, SourcePullError } from '@opsloop/connectors';
import { startTestApi, TestApi } from '../../support/test-apps';
import { collectRows, createSource, inMemorySource, JsonServer, rejection, startJsonServer } from './pull-fixtures';

// A public-looking name whose DNS answer is a loopback address: the case the allow-list's DNS check exists for.
jest.mock('node:dns/promises', () => {
  const actual = jest.requireActual<typeof import('node:dns/promises')>('node:dns/promises');
  return {
    ...actual,
    lookup: (host: string, opts: object) =>
      host === 'feed.example.test' ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : actual.lookup(host, opts as never),
  };
});

const item = (series: string, hour: number, value: number) => ({ name: series, at: { iso: `2024-05-01T${String(hour).padStart(2, '0')}:00:00Z` }, reading: value });
const FIELD_MAP = { series: 'name', ts: 'at.iso', value: 'reading' };

describe('http source connector', () => {
  let server: JsonServer;
  const http = new HttpSource(new OutboundPolicy(['127.0.0.1']), { backoffMs: 10 });
  const pull = (config: Record<string, unknown>, secret: Record<string, unknown> | null = null) =>
    collectRows(http.pull(inMemorySource('http', { fieldMap: FIELD_MAP, ...config }), secret));

  beforeAll(async () => {
    server = await startJsonServer();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(() => server.close());

  it('follows next-url links and maps nested fields to the schema', async () => {
    server.handle((url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      return { status: 200, body: { data: { items: [item('cpu.eu', page, 90 + page)] }, links: { next: page < 3 ? `/feed?page=${page + 1}` : null } } };
    });
    const rows = await pull({ url: `${server.origin}/feed`, itemsPath: 'data.items', pagination: { type: 'next-url', nextPath: 'links.next' } });
    expect(rows).toEqual([
      { row: 1, values: { series: 'cpu.eu', ts: '2024-05-01T01:00:00Z', value: 91 } },
      { row: 2, values: { series: 'cpu.eu', ts: '2024-05-01T02:00:00Z', value: 92 } },
      { row: 3, values: { series: 'cpu.eu', ts: '2024-05-01T03:00:00Z', value: 93 } },
    ]);
    expect(server.requests.map((r) => r.url)).toEqual(['/feed', '/feed?page=2', '/feed?page=3']);
  });

  it('counts page numbers until an empty page', async () => {
    server.handle((url) => {
      const p = Number(url.searchParams.get('p'));
      return { status: 200, body: p <= 2 ? [item('s', p, p), item('t', p, p)] : [] };
    });
    const rows = await pull({ url: `${server.origin}/paged?site=eu`, pagination: { type: 'page', param: 'p', start: 1, maxPages: 5 } });
    expect(rows.map((r) => [r.row, r.values['series'], r.values['value']])).toEqual([[1, 's', 1], [2, 't', 1], [3, 's', 2], [4, 't', 2]]);
    expect(server.requests.map((r) => r.url)).toEqual(['/paged?site=eu&p=1', '/paged?site=eu&p=2', '/paged?site=eu&p=3']);
  });

  it('passes each reply cursor as the next request parameter', async () => {
    const pages: Record<string, { items: unknown[]; next: string | null }> = {
      '': { items: [item('a', 1, 1)], next: 'c-2' }, 'c-2': { items: [item('a', 2, 2)], next: 'c-3' }, 'c-3': { items: [item('a', 3, 3)], next: null },
    };
    server.handle((url) => ({ status: 200, body: { results: pages[url.searchParams.get('after') ?? '']!.items, meta: { after: pages[url.searchParams.get('after') ?? '']!.next } } }));
    const rows = await pull({ url: `${server.origin}/cursor`, itemsPath: 'results', pagination: { type: 'cursor', cursorPath: 'meta.after', param: 'after', maxPages: 10 } });
    expect(rows.map((r) => r.values['value'])).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.url)).toEqual(['/cursor', '/cursor?after=c-2', '/cursor?after=c-3']);
  });

  it('fails rather than stopping silently when there are more pages than maxPages', async () => {
    server.handle((url) => ({ status: 200, body: { items: [item('a', 1, 1)], next: `c${Number(url.searchParams.get('after') ?? 0) + 1}` } }));
    const err = await rejection(pull({ url: `${server.origin}/endless`, itemsPath: 'items', pagination: { type: 'cursor', cursorPath: 'next', param: 'after', maxPages: 3 } }));
    expect(err.message).toMatch(/^pagination exceeded maxPages 3/);
    expect(server.requests).toHaveLength(3);
  });

  it('sends the secret headers with every request', async () => {
    server.handle(() => ({ status: 200, body: [item('a', 1, 1)] }));
    await pull({ url: `${server.origin}/auth` }, { headers: { Authorization: 'Bearer s3cr3t-token' } });
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer s3cr3t-token');
  });

  it('refuses a host outside the allow-list without sending anything', async () => {
    const port = new URL(server.origin).port;
    const err = await rejection(pull({ url: `http://localhost:${port}/feed` }));
    expect(err).toBeInstanceOf(SourcePullError);
    expect(err.message).toBe('Outbound call refused: host localhost is not in OUTBOUND_ALLOWED_HOSTS');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an allowed name that resolves to a private address the list does not name', async () => {
    const port = new URL(server.origin).port;
    const byName = new HttpSource(new OutboundPolicy(['feed.example.test']), { backoffMs: 10 });
    const err = await rejection(collectRows(byName.pull(inMemorySource('http', { url: `http://feed.example.test:${port}/feed`, retries: 3 }), null)));
    expect(err.message).toBe('Outbound call refused: feed.example.test resolves to private address 127.0.0.1, which OUTBOUND_ALLOWED_HOSTS does not name');
    expect((err as SourcePullError).retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it('retries 5xx answers with backoff and then reads the page', async () => {
    let calls = 0;
    server.handle(() => (++calls <= 2 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: [item('a', 1, 5)] }));
    expect(await pull({ url: `${server.origin}/flaky`, retries: 2 })).toHaveLength(1);
    expect(calls).toBe(3);
  });

  it('gives up after its retries, and does not retry a 404', async () => {
    server.handle(() => ({ status: 502 }));
    const down = await rejection(pull({ url: `${server.origin}/down`, retries: 1 }));
    expect(down.message).toBe('GET 127.0.0.1:' + new URL(server.origin).port + '/down answered 502');
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    server.handle(() => ({ status: 404 }));
    expect(((await rejection(pull({ url: `${server.origin}/gone`, retries: 3 }))) as SourcePullError).retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow reply and refuses to follow a redirect', async () => {
    server.handle(() => ({ status: 200, body: [], delayMs: 1_500 }));
    const slow = await rejection(pull({ url: `${server.origin}/slow`, timeoutMs: 200, retries: 0 }));
    expect(slow.message).toMatch(/\/slow timed out after 200 ms$/);
    server.handle(() => ({ status: 302, headers: { location: `${server.origin}/elsewhere` } }));
    const moved = await rejection(pull({ url: `${server.origin}/moved`, retries: 2 }));
    expect(moved.message).toMatch(/redirect/);
    expect((moved as SourcePullError).retryable).toBe(false);
  });
});

describe('http source collected through the API', () => {
  let server: JsonServer;
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });

  beforeAll(async () => {
    server = await startJsonServer();
    api = await startTestApi({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', SOURCE_COLLECT_ATTEMPTS: '2', SOURCE_COLLECT_BACKOFF_MS: '50' });
  });
  afterAll(async () => {
    await api.close();
    await server.close();
  });

  it('writes the mapped items as observations and keeps the secret header out of every answer', async () => {
    server.handle(() => ({ status: 200, body: { data: [item('cpu.eu', 1, 91), item('cpu.eu', 2, 97), item('cpu.us', 1, 40)] } }));
    const source = await createSource(api, {
      kind: 'http', config: { url: `${server.origin}/api`, itemsPath: 'data', fieldMap: FIELD_MAP }, secret: { headers: { 'x-api-key': 'k-123456-secret' } },
    });
    const res = await api.http().post(`/api/v1/sources/${source.id}/collect`).set(admin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', rowsReceived: 3, rowsWritten: 3, rowsQuarantined: 0, attempts: 1 });
    expect(server.requests.at(-1)!.headers['x-api-key']).toBe('k-123456-secret');

    const again = await api.http().post(`/api/v1/sources/${source.id}/collect`).set(admin());
    expect(again.body).toMatchObject({ rowsWritten: 0, rowsDuplicate: 3 });
    const health = await api.http().get(`/api/v1/sources/${source.id}/health`).set(admin());
    expect(health.body).toMatchObject({ healthy: true, rowsTotal: 3 });
    const shown = await api.http().get(`/api/v1/sources/${source.id}`).set(admin());
    for (const body of [res.body, health.body, shown.body]) expect(JSON.stringify(body)).not.toContain('k-123456-secret');
  });

  it('retries, then answers 503 and marks the source unhealthy when the server stays down', async () => {
    server.requests.length = 0;
    server.handle(() => ({ status: 503 }));
    const source = await createSource(api, { kind: 'http', config: { url: `${server.origin}/down`, retries: 1 } });
    const res = await api.http().post(`/api/v1/sources/${source.id}/collect`).set(admin());
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/^Collect of source .* failed: GET 127\.0\.0\.1:\d+\/down answered 503 \(after 2 attempts\)\. The source is marked unhealthy\.$/);
    // Two collect attempts, each a request and one retry.
    expect(server.requests).toHaveLength(4);
    const health = await api.http().get(`/api/v1/sources/${source.id}/health`).set(admin());
    expect(health.body).toMatchObject({ healthy: false, consecutiveFailures: 1, lastError: expect.stringContaining('answered 503') });
    const batches = await api.http().get(`/api/v1/sources/${source.id}/batches`).set(admin());
    expect(batches.body).toEqual([expect.objectContaining({ origin: 'collect:http', status: 'failed', error: expect.stringContaining('answered 503') })]);
  });

  it('answers 404 for an unknown source and 409 for a push source', async () => {
    expect((await api.http().post('/api/v1/sources/00000000-0000-4000-8000-000000000000/collect').set(admin())).status).toBe(404);
    const push = await createSource(api, { kind: 'push' });
    const res = await api.http().post(`/api/v1/sources/${push.id}/collect`).set(admin());
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('push source');
  });
});
