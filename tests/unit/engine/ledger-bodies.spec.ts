import fc from 'fast-check';
import { describeTarget } from '../../../apps/worker/src/engine/ledger-bodies';

const webhook = (url: string) => ({ type: 'webhook' as const, url, timeoutSeconds: 10, maxAttempts: 3 });

describe('action target in the ledger', () => {
  it('describes the record target plainly', () => {
    expect(describeTarget({ type: 'record' })).toBe('record');
  });

  it('keeps the scheme, host, port and first path segment of a webhook', () => {
    expect(describeTarget(webhook('https://hooks.example.com:8443/alerts'))).toBe('webhook https://hooks.example.com:8443/alerts');
  });

  it('hides path segments after the first, where Slack-style webhooks keep their token', () => {
    expect(describeTarget(webhook('https://hooks.example.com/services/T0001/B0002/s3cretToken'))).toBe('webhook https://hooks.example.com/services/…');
  });

  it('drops the query string, where tokens tend to hide', () => {
    expect(describeTarget(webhook('https://hooks.example.com/in?token=s3cret&x=1'))).toBe('webhook https://hooks.example.com/in');
  });

  it('drops a user name and password in the URL', () => {
    const described = describeTarget(webhook('https://alice:s3cret@hooks.example.com/in'));
    expect(described).toBe('webhook https://hooks.example.com/in');
  });

  it('drops the fragment', () => {
    expect(describeTarget(webhook('https://hooks.example.com/in#access_token=s3cret'))).toBe('webhook https://hooks.example.com/in');
  });

  it('never repeats a secret placed in the user, password, query, fragment or deep path of any URL', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `SECRET${s}`);
    const path = fc.array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(secret, path, fc.constantFrom('http', 'https'), fc.constantFrom('user', 'password', 'query', 'fragment', 'path'), (s, p, scheme, where) => {
        const url = {
          user: `${scheme}://${s}@hooks.example.com${p}`,
          password: `${scheme}://bot:${s}@hooks.example.com${p}`,
          query: `${scheme}://hooks.example.com${p}?key=${s}`,
          fragment: `${scheme}://hooks.example.com${p}#${s}`,
          path: `${scheme}://hooks.example.com/hooks${p}/${s}`,
        }[where]!;
        const described = describeTarget(webhook(url));
        expect(described).not.toContain(s);
        expect(described).not.toContain('@');
        expect(described).not.toContain('?');
        expect(described).toMatch(new RegExp(`^webhook ${scheme}://hooks\\.example\\.com(/[a-z0-9-]+(/…)?)?$`));
      }),
    );
  });
});
