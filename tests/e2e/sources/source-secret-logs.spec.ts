/**
 * Credentials never reach the logs: the API runs as its own process at the most verbose level,
 * takes sources with credentials through create, update, refusal and conflict, and its whole
 * output is searched for them.
 */
import { freePort } from '@opsloop/devstack';
import { eventually } from '../../support/eventually';
import { runEntry } from '../../support/spawn';
import { TEST_ADMIN_KEY } from '../../support/constants';
import { HTTP_TOKEN, httpSource, PG_PASSWORD, postgresSource, pushSource, SOURCES_OUTBOUND } from './source-api-fixture';

describe('source credentials in logs', () => {
  it('are never written, at log level trace, whatever the request outcome', async () => {
    const port = await freePort();
    const run = runEntry('apps/api/src/main.ts', { ...process.env, PORT: String(port), LOG_LEVEL: 'trace', OUTBOUND_ALLOWED_HOSTS: SOURCES_OUTBOUND });
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the API to listen', 60_000);
      const send = async (method: string, path: string, body: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method, body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };

      const pg = postgresSource();
      const created = await send('POST', '/api/v1/sources', pg);
      expect(created.status).toBe(201);
      expect((await send('POST', '/api/v1/sources', { ...pg })).status).toBe(409);
      expect((await send('POST', '/api/v1/sources', postgresSource({ config: {} }))).status).toBe(400);
      expect((await send('PATCH', `/api/v1/sources/${String(created.body.id)}`, { secret: { connectionString: `postgres://u:${PG_PASSWORD}-2@db.internal/db` } })).status).toBe(200);
      const web = await send('POST', '/api/v1/sources', httpSource());
      expect(web.status).toBe(201);
      expect((await send('PATCH', `/api/v1/sources/${String(web.body.id)}`, { name: pg.name, secret: { headers: { 'X-Key': PG_PASSWORD } } })).status).toBe(409);
      expect((await send('POST', '/api/v1/sources', pushSource({ secret: { token: PG_PASSWORD } }))).status).toBe(400);
    } finally {
      run.child.kill('SIGTERM');
    }
    const { output } = await run.done;
    // The requests were logged at this level, so their absence below is not for want of logging.
    expect(output).toContain('/api/v1/sources');
    expect(output).not.toContain(PG_PASSWORD);
    expect(output).not.toContain(HTTP_TOKEN.split(' ')[1]);
    expect(output).not.toContain(TEST_ADMIN_KEY);
    // Nor any sealed value (v1.<key id>.<iv>.…), stored or refused.
    expect(output).not.toMatch(/v1\.[\w-]{8}\.[\w-]{16}\./);
  });
});

