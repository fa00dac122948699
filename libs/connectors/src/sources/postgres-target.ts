/**
 * Where a postgres source connects, and whether it may. Its host goes through the outbound
 * allow-list like any HTTP call (OUTBOUND_ALLOWED_HOSTS, private-address rule included), and
 * opsloop's own database (the host, port and database of DATABASE_URL) is refused unless
 * SOURCE_ALLOW_OPSLOOP_DATABASE=true: a source there could read api_keys and sealed secrets.
 *
 * The target is read by pg's own Client (host, port and database resolved exactly as the
 * connection will be, `?host=` overrides and defaults included), so what is checked is what is
 * connected to. `problem` is static (the API runs it before a source is stored); `assertAllowed`
 * adds DNS (the pull runs it before connecting), which also catches another name or address for
 * opsloop's database server.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import os from 'node:os';
import { Client } from 'pg';
import { normalHost, OutboundPolicy, OutboundRefusedError } from '../http/allowed-hosts';

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
}

/** The host, port and database pg would connect to, or null when pg cannot read the string. */
export function postgresTarget(connectionString: string): PostgresTarget | null {
  try {
    const c = new Client({ connectionString });
    return { host: normalHost(c.host ?? ''), port: Number(c.port), database: c.database ?? '' };
  } catch {
    return null;
  }
}

export const OWN_DATABASE_PROBLEM =
  "is opsloop's own database (the host, port and database of DATABASE_URL), which sources may not read unless SOURCE_ALLOW_OPSLOOP_DATABASE=true";

export class PostgresTargetPolicy {
  private readonly own: PostgresTarget | null;

  /** `ownDatabaseUrl` null: sources may read opsloop's own database (the explicit opt-in). */
  constructor(
    private readonly outbound: OutboundPolicy,
    ownDatabaseUrl: string | null,
  ) {
    this.own = ownDatabaseUrl === null ? null : postgresTarget(ownDatabaseUrl);
  }

  static fromEnv(outbound: OutboundPolicy, env: { DATABASE_URL: string; SOURCE_ALLOW_OPSLOOP_DATABASE?: string }): PostgresTargetPolicy {
    return new PostgresTargetPolicy(outbound, env.SOURCE_ALLOW_OPSLOOP_DATABASE === 'true' ? null : env.DATABASE_URL);
  }

  /** A reason the source may not connect there, or null. Static: no DNS. */
  problem(connectionString: string): string | null {
    const target = postgresTarget(connectionString);
    if (!target) return 'is not a connection string pg can read';
    if (target.host === '' || target.host.startsWith('/')) return 'must name a TCP host: a unix socket bypasses OUTBOUND_ALLOWED_HOSTS';
    const hostProblem = this.outbound.hostProblem(target.host);
    if (hostProblem) return hostProblem;
    if (this.own && sameDatabase(target, this.own) && sameHostByName(target.host, this.own.host)) return OWN_DATABASE_PROBLEM;
    return null;
  }

  /** `problem` plus DNS; throws OutboundRefusedError, whose message names the reason. */
  async assertAllowed(connectionString: string): Promise<void> {
    const problem = this.problem(connectionString);
    if (problem) throw new OutboundRefusedError(`Postgres source refused: the connection string ${problem}`);
    const target = postgresTarget(connectionString)!;
    await this.outbound.assertHostAllowed(target.host);
    if (this.own && sameDatabase(target, this.own) && (await sameMachine(target.host, this.own.host))) {
      throw new OutboundRefusedError(`Postgres source refused: the connection string ${OWN_DATABASE_PROBLEM}`);
    }
  }
}

function sameDatabase(a: PostgresTarget, b: PostgresTarget): boolean {
  return a.port === b.port && a.database === b.database;
}

/** Loopback and "this host" spellings all reach the local server. */
function isThisHostLiteral(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return host.startsWith('127.') || host === '0.0.0.0';
  if (family === 6) return host === '::1' || host === '::' || /^::ffff:(127\.|0\.0\.0\.0$)/.test(host);
  return false;
}

function sameHostByName(a: string, b: string): boolean {
  return a === b || (isThisHostLiteral(a) && isThisHostLiteral(b));
}

/** The host itself (`localhost` counts as local by name) and the addresses it resolves to. */
async function addressesOf(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  try {
    return [host, ...(await lookup(host, { all: true })).map((a) => a.address.toLowerCase())];
  } catch {
    // A name that does not resolve cannot be connected to either; the connect reports it.
    return [host];
  }
}

/** This machine's own addresses: a source naming one of them reaches a server on localhost. */
function localAddresses(): Set<string> {
  const own = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.toLowerCase()));
  return new Set(own);
}

async function sameMachine(a: string, b: string): Promise<boolean> {
  if (sameHostByName(a, b)) return true;
  const [left, right] = await Promise.all([addressesOf(a), addressesOf(b)]);
  if (left.some((x) => right.includes(x))) return true;
  const local = localAddresses();
  const isLocal = (x: string) => isThisHostLiteral(x) || local.has(x);
  return left.some(isLocal) && right.some(isLocal);
}
