import { lookup } from 'node:dns/promises';
import os from 'node:os';
import { OutboundPolicy, OutboundRefusedError, postgresTarget, PostgresTargetPolicy } from '@opsloop/connectors';

// Names never reach real DNS here: each test says what a name resolves to.
jest.mock('node:dns/promises', () => ({ lookup: jest.fn() }));
const resolve = (table: Record<string, string[]>) =>
  jest.mocked(lookup).mockImplementation((async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as never);

beforeEach(() => jest.mocked(lookup).mockReset());

const OWN = 'postgres://opsloop:secret@localhost:54329/opsloop';

describe('postgresTarget: where pg would connect', () => {
  it.each([
    ['host, port and database from the URL', 'postgres://u:p@DB.Example.com:6543/sales', { host: 'db.example.com', port: 6543, database: 'sales' }],
    ['the default port', 'postgres://u@db.example.com/sales', { host: 'db.example.com', port: 5432, database: 'sales' }],
    ['the user as the database when none is named', 'postgres://reader@db.example.com', { host: 'db.example.com', port: 5432, database: 'reader' }],
    ['a ?host= that overrides the URL host', 'postgres://u@decoy.example.com/sales?host=db.internal', { host: 'db.internal', port: 5432, database: 'sales' }],
    ['an IPv6 literal without brackets', 'postgres://u@[::1]:5433/x', { host: '::1', port: 5433, database: 'x' }],
  ])('reads %s', (_what, url, target) => {
    expect(postgresTarget(url)).toEqual(target);
  });

  it('gives null for a string pg cannot read', () => {
    expect(postgresTarget('postgres://u@h:99999/x')).toBeNull();
  });
});

describe('postgres target policy (static, when a source is defined)', () => {
  const listed = new OutboundPolicy(['db.example.com', 'localhost', '127.0.0.1', '10.0.0.7']);
  const policy = new PostgresTargetPolicy(listed, OWN);

  it('lets a listed host through, and another database on opsloop\'s own server', () => {
    expect(policy.problem('postgres://r:x@db.example.com/sales')).toBeNull();
    expect(policy.problem('postgres://r:x@localhost:54329/warehouse')).toBeNull();
    expect(policy.problem('postgres://r:x@localhost:5432/opsloop')).toBeNull();
  });

  it('refuses a host the allow-list does not name, with no allow-list refusing everything', () => {
    expect(policy.problem('postgres://r:x@db.other.net/sales')).toBe('host db.other.net is not in OUTBOUND_ALLOWED_HOSTS');
    expect(new PostgresTargetPolicy(new OutboundPolicy([]), null).problem('postgres://r:x@localhost/sales')).toBe('host localhost is not in OUTBOUND_ALLOWED_HOSTS');
  });

  it('refuses a unix socket, which no host list can govern', () => {
    expect(policy.problem('postgres://r@localhost/sales?host=/var/run/postgresql')).toMatch(/^must name a TCP host/);
  });

  it.each([
    ['the same URL', OWN],
    ['another loopback spelling', 'postgres://intruder:pw@127.0.0.1:54329/opsloop'],
    ['a ?host= override onto it', 'postgres://intruder@db.example.com:54329/opsloop?host=localhost'],
  ])("refuses opsloop's own database written as %s", (_what, url) => {
    expect(policy.problem(url)).toMatch(/^is opsloop's own database .* unless SOURCE_ALLOW_OPSLOOP_DATABASE=true$/);
  });

  it('lets its own database through when explicitly allowed', () => {
    const optedIn = PostgresTargetPolicy.fromEnv(listed, { DATABASE_URL: OWN, SOURCE_ALLOW_OPSLOOP_DATABASE: 'true' });
    expect(optedIn.problem(OWN)).toBeNull();
    expect(PostgresTargetPolicy.fromEnv(listed, { DATABASE_URL: OWN, SOURCE_ALLOW_OPSLOOP_DATABASE: 'false' }).problem(OWN)).not.toBeNull();
  });
});

describe('postgres target policy (with DNS, before every pull)', () => {
  it('refuses a listed public name that resolves into the private network (the private-address rule)', async () => {
    resolve({ 'db.example.com': ['10.0.0.9'] });
    const policy = new PostgresTargetPolicy(new OutboundPolicy(['db.example.com']), OWN);
    await expect(policy.assertAllowed('postgres://r:x@db.example.com/sales')).rejects.toThrow(
      new OutboundRefusedError('Outbound call refused: db.example.com resolves to private address 10.0.0.9, which OUTBOUND_ALLOWED_HOSTS does not name'),
    );
  });

  it("refuses another name for opsloop's database server", async () => {
    resolve({ 'pg.internal.example': ['10.0.0.7'], 'db.prod.example': ['10.0.0.7'] });
    const policy = new PostgresTargetPolicy(new OutboundPolicy(['pg.internal.example', '10.0.0.7']), 'postgres://o:pw@db.prod.example:5432/opsloop');
    await expect(policy.assertAllowed('postgres://r:x@pg.internal.example:5432/opsloop')).rejects.toThrow(/^Postgres source refused: the connection string is opsloop's own database/);
    await expect(policy.assertAllowed('postgres://r:x@pg.internal.example:5432/sales')).resolves.toBeUndefined();
  });

  it("refuses one of this machine's own addresses when opsloop's database is on localhost", async () => {
    const eth0 = { address: '192.168.7.7', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.7.7/24' } as const;
    const interfaces = jest.spyOn(os, 'networkInterfaces').mockReturnValue({ eth0: [eth0] });
    try {
      const policy = new PostgresTargetPolicy(new OutboundPolicy(['192.168.7.7', '192.168.7.8']), OWN);
      await expect(policy.assertAllowed('postgres://r:x@192.168.7.7:54329/opsloop')).rejects.toThrow(/own database/);
      await expect(policy.assertAllowed('postgres://r:x@192.168.7.8:54329/opsloop')).resolves.toBeUndefined();
    } finally {
      interfaces.mockRestore();
    }
  });

  it('lets a reachable listed host through', async () => {
    resolve({ 'db.example.com': ['93.184.216.34'] });
    const policy = new PostgresTargetPolicy(new OutboundPolicy(['db.example.com']), OWN);
    await expect(policy.assertAllowed('postgres://r:x@db.example.com/sales')).resolves.toBeUndefined();
  });
});
