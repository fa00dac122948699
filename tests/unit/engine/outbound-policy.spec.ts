import { lookup } from 'node:dns/promises';
import { isPrivateAddress, OutboundPolicy, OutboundRefusedError, parseAllowedHosts } from '@opsloop/connectors';

// Names never reach real DNS here: each test says what a name resolves to.
jest.mock('node:dns/promises', () => ({ lookup: jest.fn() }));
const resolveTo = (...addresses: string[]) =>
  jest.mocked(lookup).mockResolvedValue(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) as never);

beforeEach(() => jest.mocked(lookup).mockReset());

describe('allowed hosts setting', () => {
  it('splits the comma list, trims and lower-cases each entry, and drops empty ones', () => {
    expect(parseAllowedHosts(' ERP.example.com, *.Hooks.example.com ,,127.0.0.1, ')).toEqual(['erp.example.com', '*.hooks.example.com', '127.0.0.1']);
  });

  it('allows nothing when the setting is missing or blank', () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(parseAllowedHosts('  ,  ')).toEqual([]);
    expect(new OutboundPolicy(parseAllowedHosts(undefined)).problem('https://example.com/')).toBe('host example.com is not in OUTBOUND_ALLOWED_HOSTS');
  });
});

describe('outbound policy (static checks)', () => {
  const policy = new OutboundPolicy(parseAllowedHosts('erp.example.com, *.hooks.example.com, 127.0.0.1, ::1, erp'));

  it.each([
    ['an exact host over https', 'https://erp.example.com/api/orders'],
    ['an exact host over http with a port, query and fragment', 'http://erp.example.com:8080/x?y=1#z'],
    ['a host written in upper case', 'https://ERP.Example.COM/'],
    ['a subdomain of a wildcard entry', 'https://sub.hooks.example.com/in'],
    ['a deeper subdomain of a wildcard entry', 'https://a.b.hooks.example.com/in'],
    ['a listed IPv4 literal', 'http://127.0.0.1:3000/probe'],
    ['a listed IPv6 literal', 'http://[::1]:3000/probe'],
    ['a listed single-label name', 'http://erp:8080/'],
  ])('allows %s', (_what, url) => {
    expect(policy.problem(url)).toBeNull();
  });

  it.each([
    ['the wildcard domain itself', 'https://hooks.example.com/', 'host hooks.example.com is not in OUTBOUND_ALLOWED_HOSTS'],
    ['a look-alike that only shares the suffix', 'https://evil-hooks.example.com/', 'host evil-hooks.example.com is not in OUTBOUND_ALLOWED_HOSTS'],
    ['a subdomain of an exact entry', 'https://x.erp.example.com/', 'host x.erp.example.com is not in OUTBOUND_ALLOWED_HOSTS'],
    ['a listed name used as a prefix of another domain', 'https://erp.example.com.evil.net/', 'host erp.example.com.evil.net is not in OUTBOUND_ALLOWED_HOSTS'],
    ['an unlisted host', 'https://example.org/', 'host example.org is not in OUTBOUND_ALLOWED_HOSTS'],
    ['an unlisted private address', 'http://10.0.0.1/', 'host 10.0.0.1 is not in OUTBOUND_ALLOWED_HOSTS'],
    ['a file URL', 'file:///etc/passwd', 'must use http or https'],
    ['an ftp URL on a listed host', 'ftp://erp.example.com/', 'must use http or https'],
    ['a javascript URL', 'javascript:alert(1)', 'must use http or https'],
    ['a user and password in the URL', 'https://user:secret@erp.example.com/', 'must not carry credentials'],
    ['a user alone in the URL', 'https://token@erp.example.com/', 'must not carry credentials'],
    ['a password alone in the URL', 'https://:secret@erp.example.com/', 'must not carry credentials'],
    ['text that is not a URL', 'erp.example.com/orders', 'is not a valid URL'],
  ])('refuses %s', (_what, url, problem) => {
    expect(policy.problem(url)).toBe(problem);
  });

  it('matches the wildcard at a label boundary only', () => {
    const wildcard = new OutboundPolicy(['*.example.com']);
    expect(wildcard.problem('https://sub.example.com/')).toBeNull();
    expect(wildcard.problem('https://example.com/')).not.toBeNull();
    expect(wildcard.problem('https://evil-example.com/')).not.toBeNull();
    expect(wildcard.problem('https://sub.example.com.evil.net/')).not.toBeNull();
  });
});

describe('private addresses', () => {
  it.each([
    '10.0.0.1', '10.255.255.255',
    '172.16.0.1', '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1', '127.8.9.10',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '::1', '::',
    'fc00::1', 'fd12:3456::1', 'FD00::1',
    'fe80::1',
    '::ffff:10.0.0.1', '::ffff:127.0.0.1',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '172.15.255.255', '172.32.0.1',
    '11.0.0.1', '9.255.255.255',
    '192.169.0.1', '169.253.0.1',
    '8.8.8.8', '1.1.1.1',
    '100.63.255.255', '100.128.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
  ])('treats %s as public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('outbound policy (before a call)', () => {
  const policy = new OutboundPolicy(['127.0.0.1', '10.1.2.3', '::1', 'localhost']);

  it('lets a listed IP literal through without a DNS lookup, even a private one', async () => {
    await expect(policy.assertAllowed('http://127.0.0.1:9/health')).resolves.toEqual(new URL('http://127.0.0.1:9/health'));
    await expect(policy.assertAllowed('http://10.1.2.3/x')).resolves.toBeInstanceOf(URL);
    await expect(policy.assertAllowed('http://[::1]:9/')).resolves.toBeInstanceOf(URL);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('lets a listed localhost through without a DNS lookup', async () => {
    await expect(policy.assertAllowed('http://localhost:8080/')).resolves.toBeInstanceOf(URL);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('throws OutboundRefusedError with the static reason for an unlisted IP literal', async () => {
    const call = policy.assertAllowed('http://10.1.2.4/');
    await expect(call).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(policy.assertAllowed('http://10.1.2.4/')).rejects.toThrow('Outbound call refused: host 10.1.2.4 is not in OUTBOUND_ALLOWED_HOSTS');
  });

  it('refuses credentials and other schemes before anything else', async () => {
    await expect(policy.assertAllowed('http://u:p@127.0.0.1/')).rejects.toThrow('Outbound call refused: must not carry credentials');
    await expect(policy.assertAllowed('ftp://127.0.0.1/')).rejects.toThrow('Outbound call refused: must use http or https');
    expect(lookup).not.toHaveBeenCalled();
  });
});

describe('outbound policy (names that need DNS)', () => {
  const policy = new OutboundPolicy(parseAllowedHosts('erp.example.com, *.hooks.example.com, 10.9.9.9, erp'));

  it('lets a listed name through when it resolves to public addresses only', async () => {
    resolveTo('93.184.216.34', '2606:2800:220:1::1');
    await expect(policy.assertAllowed('https://erp.example.com/orders')).resolves.toEqual(new URL('https://erp.example.com/orders'));
    expect(lookup).toHaveBeenCalledWith('erp.example.com', { all: true });
  });

  it('refuses a listed name that resolves into the internal network, naming the address', async () => {
    resolveTo('93.184.216.34', '10.0.0.5');
    await expect(policy.assertAllowed('https://a.hooks.example.com/')).rejects.toThrow(
      new OutboundRefusedError('Outbound call refused: a.hooks.example.com resolves to private address 10.0.0.5, which OUTBOUND_ALLOWED_HOSTS does not name'),
    );
    resolveTo('::ffff:127.0.0.1');
    await expect(policy.assertAllowed('https://erp.example.com/')).rejects.toThrow('resolves to private address ::ffff:127.0.0.1');
  });

  it('lets a name resolve to a private address the allow-list names itself', async () => {
    resolveTo('10.9.9.9');
    await expect(policy.assertAllowed('https://erp.example.com/')).resolves.toBeInstanceOf(URL);
  });

  it('trusts a listed single-label name (a compose service) without a DNS lookup', async () => {
    await expect(policy.assertAllowed('http://erp:8080/')).resolves.toBeInstanceOf(URL);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('never looks up a name the allow-list does not name', async () => {
    await expect(policy.assertAllowed('https://example.org/')).rejects.toThrow('host example.org is not in OUTBOUND_ALLOWED_HOSTS');
    expect(lookup).not.toHaveBeenCalled();
  });
});

describe('isPrivateAddress on unusual IPv6 spellings', () => {
  it.each([
    ['febf::1', true], // still inside fe80::/10
    ['0:0:0:0:0:0:0:1', true], // loopback written out
    ['::ffff:a00:1', true], // 10.0.0.1, mapped, in hex
    ['fd12::1', true],
    ['fd::1', false], // 00fd::1, not unique-local
    ['::ffff:8.8.8.8', false],
    ['2001:db8::1', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
