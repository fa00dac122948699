import { freePort } from '@opsloop/devstack';
import { cleanEnv, runEntry } from '../support/spawn';

const SECRET_PASSWORD = 'pw-that-must-not-leak';

describe('start-up configuration errors', () => {
  it('stops the API naming each missing or invalid variable, without echoing secrets', async () => {
    const { done } = runEntry('apps/api/src/main.ts', cleanEnv({
      DATABASE_URL: `postgres://u:${SECRET_PASSWORD}@127.0.0.1:1/x`,
      TEMPORAL_ADDRESS: 'nonsense',
      PORT: 'eighty',
    }));
    const { code, output } = await done;
    expect(code).toBe(1);
    expect(output).toMatch(/OPSLOOP_ADMIN_KEY: .*16 characters/);
    expect(output).toMatch(/TEMPORAL_ADDRESS: .*host:port/);
    expect(output).toMatch(/PORT: /);
    expect(output).not.toContain(SECRET_PASSWORD);
  });

  it('stops the worker when DATABASE_URL is missing', async () => {
    const { code, output } = await runEntry('apps/worker/src/main.ts', cleanEnv({ TEMPORAL_ADDRESS: 'localhost:7233' })).done;
    expect(code).toBe(1);
    expect(output).toMatch(/DATABASE_URL: /);
  });

  it('stops the API when Postgres cannot be reached, naming DATABASE_URL but not the password', async () => {
    const port = await freePort();
    const { code, output } = await runEntry('apps/api/src/main.ts', cleanEnv({
      DATABASE_URL: `postgres://u:${SECRET_PASSWORD}@127.0.0.1:${port}/x`,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      OPSLOOP_ADMIN_KEY: 'a-long-enough-admin-key',
    })).done;
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`DATABASE_URL: cannot connect to Postgres at 127.0.0.1:${port}/x`));
    expect(output).not.toContain(SECRET_PASSWORD);
  });

  it('stops `opsloop start` on an invalid port setting, naming it', async () => {
    const { code, output } = await runEntry('apps/cli/src/main.ts', cleanEnv({ OPSLOOP_PG_PORT: '99999' }), ['start']).done;
    expect(code).toBe(1);
    expect(output).toMatch(/OPSLOOP_PG_PORT/);
  });
});
