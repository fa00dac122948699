/**
 * A postgres source may not read opsloop's own database: defining one is a 400 on
 * secret.connectionString, and one that got stored anyway (written straight into the table, or
 * defined before the rule) is refused at collect time, so api_keys never becomes observations.
 * SOURCE_ALLOW_OPSLOOP_DATABASE=true is the explicit way to allow it.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '@opsloop/config';
import { READING_SCHEMA } from '../../integration/sources/pull-fixtures';
import { bearer, startTestApi, TestApi } from '../../support/test-apps';

/** Key hashes as series names: what an attacker's source would copy out of opsloop. */
const STEAL_KEYS = 'SELECT key_hash::text AS series, created_at AS ts, 1 AS value FROM api_keys';

describe("postgres sources and opsloop's own database", () => {
  let api: TestApi;
  const ownUrl = process.env.DATABASE_URL!;

  beforeAll(async () => {
    // Loopback is on the allow-list, so only the own-database rule stands between a source and api_keys.
    api = await startTestApi({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost', SOURCE_COLLECT_ATTEMPTS: '1' });
  });
  afterAll(() => api.close());

  const admin = () => bearer(api.adminKey);
  const source = (connectionString: string, query = STEAL_KEYS) => ({
    name: `own db ${randomUUID()}`, kind: 'postgres', schema: READING_SCHEMA, config: { query }, secret: { connectionString },
  });
  const otherSpelling = (url: string) => {
    const u = new URL(url);
    u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    return u.toString();
  };

  it.each([
    ['as DATABASE_URL names it', () => ownUrl],
    ['under another spelling of the same host', () => otherSpelling(ownUrl)],
  ])('refuses to define a source on it %s, naming secret.connectionString', async (_what, url) => {
    const res = await api.http().post('/api/v1/sources').set(admin()).send(source(url()));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{
      field: 'secret.connectionString',
      messages: [expect.stringMatching(/^secret\.connectionString is opsloop's own database .* unless SOURCE_ALLOW_OPSLOOP_DATABASE=true$/)],
    }]);
    expect(JSON.stringify(res.body)).not.toContain(new URL(ownUrl).password);
  });

  it('refuses a stored source on it at collect time: api_keys is never read into observations', async () => {
    const ds = api.app.get(DataSource);
    const sealed = api.app.get(SecretBox).seal(JSON.stringify({ connectionString: ownUrl }));
    const [row] = await ds.query(
      `INSERT INTO sources (name, kind, schema, config, secret_sealed) VALUES ($1, 'postgres', $2, $3, $4) RETURNING id`,
      [`planted ${randomUUID()}`, JSON.stringify(READING_SCHEMA), JSON.stringify({ query: STEAL_KEYS }), sealed],
    );
    const res = await api.http().post(`/api/v1/sources/${row.id}/collect`).set(admin());
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/Postgres source refused: the connection string is opsloop's own database/);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM observations WHERE source_id = $1`, [row.id]);
    expect(n).toBe(0);
    const [{ leaked }] = await ds.query(
      `SELECT count(*)::int AS leaked FROM observations o JOIN api_keys k ON o.series_key LIKE '%' || k.key_hash::text || '%'`);
    expect(leaked).toBe(0);
  });

  it('lets a source read another database on the same server', async () => {
    const other = new URL(ownUrl);
    other.pathname = '/postgres';
    const res = await api.http().post('/api/v1/sources').set(admin()).send(source(other.toString(), "SELECT 'x' AS series, now() AS ts, 1 AS value"));
    expect(res.status).toBe(201);
    const collected = await api.http().post(`/api/v1/sources/${res.body.id}/collect`).set(admin());
    expect(collected.status).toBe(200);
    expect(collected.body).toMatchObject({ rowsWritten: 1 });
  });

  it('lets it read its own database only with SOURCE_ALLOW_OPSLOOP_DATABASE=true', async () => {
    const optedIn = await startTestApi({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost', SOURCE_ALLOW_OPSLOOP_DATABASE: 'true' });
    try {
      const res = await optedIn.http().post('/api/v1/sources').set(bearer(optedIn.adminKey))
        .send(source(ownUrl, "SELECT 'own' AS series, now() AS ts, 1 AS value"));
      expect(res.status).toBe(201);
      const collected = await optedIn.http().post(`/api/v1/sources/${res.body.id}/collect`).set(bearer(optedIn.adminKey));
      expect(collected.status).toBe(200);
    } finally {
      await optedIn.close();
    }
  });
});
