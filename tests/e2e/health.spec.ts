import { freePort } from '@opsloop/devstack';
import { bearer, startTestApi, TestApi } from '../support/test-apps';

describe('health', () => {
  it('is live and ready when Postgres and Temporal answer', async () => {
    const api = await startTestApi();
    try {
      expect((await api.http().get('/health')).body).toEqual({ status: 'ok' });
      const ready = await api.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.postgres.status).toBe('up');
      expect(ready.body.checks.temporal.status).toBe('up');
    } finally {
      await api.close();
    }
  });

  describe('with Temporal unreachable', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    });
    afterAll(() => api.close());

    it('says Temporal is the dependency that is down', async () => {
      const ready = await api.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('error');
      expect(ready.body.checks.postgres.status).toBe('up');
      expect(ready.body.checks.temporal.status).toBe('down');
      expect(ready.body.checks.temporal.error).toBeTruthy();
    });

    it('keeps serving the routes that need only Postgres', async () => {
      expect((await api.http().get('/api/v1/me').set(bearer(api.adminKey))).status).toBe(200);
      expect((await api.http().get('/health')).status).toBe(200);
    });

    it('answers a workflow start with 503 naming Temporal', async () => {
      const res = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey))
        .send({ id: '4d1c5c0e-1d7e-4b9e-9a56-2f2f0c8b9a10', message: 'x' });
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/Temporal is unavailable/);
    });
  });
});
