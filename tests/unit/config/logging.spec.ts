import pino from 'pino';
import { loggerParams } from '@opsloop/config';

function logged(entry: object): string {
  const { redact } = loggerParams('info', 'test').pinoHttp as pino.LoggerOptions;
  const lines: string[] = [];
  pino({ redact }, { write: (line: string) => lines.push(line) }).info(entry, 'request');
  return lines.join('');
}

describe('log redaction', () => {
  it('hides the Authorization header of a logged request', () => {
    const out = logged({ req: { method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer olk_very-secret-key' } } });
    expect(out).not.toContain('olk_very-secret-key');
    expect(out).toContain('[redacted]');
    expect(out).toContain('/api/v1/me');
  });

  it('hides credentials carried in nested objects', () => {
    const out = logged({ source: { password: 'hunter2', DATABASE_URL: 'postgres://u:pw@h/db' } });
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('u:pw@');
  });
});
