import { ApiEnv, DevStackEnv, EnvValidationError, validateEnv, WorkerEnv } from '@opsloop/config';

const valid = {
  DATABASE_URL: 'postgres://u:secret-pw@db:5432/opsloop',
  TEMPORAL_ADDRESS: 'temporal:7233',
  OPSLOOP_ADMIN_KEY: 'a-very-long-admin-key-123',
  OPSLOOP_SECRET_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
};

function problemsOf(env: Record<string, string>): Record<string, string[]> {
  try {
    validateEnv(ApiEnv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvValidationError);
    return Object.fromEntries((err as EnvValidationError).problems.map((p) => [p.variable, p.messages]));
  }
  throw new Error('expected validation to fail');
}

describe('environment validation', () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv(ApiEnv, { ...valid, PORT: '8080' });
    expect(env).toMatchObject({ PORT: 8080, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'opsloop', LOG_LEVEL: 'info' });
  });

  it('names each missing required variable', () => {
    expect(Object.keys(problemsOf({})).sort()).toEqual(['DATABASE_URL', 'OPSLOOP_ADMIN_KEY', 'OPSLOOP_SECRET_KEY', 'TEMPORAL_ADDRESS']);
  });

  it('names each invalid variable with what it should be', () => {
    const problems = problemsOf({ ...valid, PORT: 'eighty', TEMPORAL_ADDRESS: 'no-port', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(Object.keys(problems).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'TEMPORAL_ADDRESS']);
    expect(problems.TEMPORAL_ADDRESS[0]).toMatch(/host:port/);
  });

  it('never echoes a secret value in its message', () => {
    try {
      validateEnv(ApiEnv, { ...valid, OPSLOOP_ADMIN_KEY: 'short-secret', PORT: 'x' });
      throw new Error('expected validation to fail');
    } catch (err) {
      expect((err as Error).message).toMatch(/OPSLOOP_ADMIN_KEY: .*at least 16/);
      expect((err as Error).message).not.toContain('short-secret');
      expect((err as Error).message).not.toContain('secret-pw');
    }
  });

  it('treats an empty value as unset', () => {
    expect(Object.keys(problemsOf({ ...valid, DATABASE_URL: '' }))).toEqual(['DATABASE_URL']);
  });

  it('listens on loopback only unless API_HOST names another address, for the API and npm start alike', () => {
    expect(validateEnv(ApiEnv, valid).API_HOST).toBe('127.0.0.1');
    expect(validateEnv(DevStackEnv, {}).API_HOST).toBe('127.0.0.1');
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'api.internal']) expect(validateEnv(ApiEnv, { ...valid, API_HOST: host }).API_HOST).toBe(host);
    for (const host of ['0.0.0.0:3000', 'http://0.0.0.0', 'two words']) {
      expect(problemsOf({ ...valid, API_HOST: host }).API_HOST![0]).toMatch(/API_HOST must be an address or host name to listen on/);
    }
  });

  it('lets the worker run without an admin key', () => {
    const { OPSLOOP_ADMIN_KEY: _unused, ...workerEnv } = valid;
    expect(validateEnv(WorkerEnv, workerEnv).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });
});
