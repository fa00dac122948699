/**
 * The outbound allow-list. Every outbound connection opsloop makes (webhook actions, probes, HTTP
 * sources, postgres sources) goes through `OutboundPolicy`, so a loop or source config can never
 * point traffic anywhere an admin did not name in OUTBOUND_ALLOWED_HOSTS.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

/** `"erp.example.com, *.hooks.example.com,127.0.0.1"` → normalised entries. */
export function parseAllowedHosts(csv: string | undefined): string[] {
  return (csv ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0);
}

export class OutboundPolicy {
  constructor(private readonly allowed: readonly string[]) {}

  /** A reason the URL may not be called, or null. Static checks only: no DNS. */
  problem(rawUrl: string): string | null {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return 'is not a valid URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
    if (url.username || url.password) return 'must not carry credentials';
    return this.hostProblem(hostOf(url));
  }

  /** A reason the host (a name or an address, no port) may not be reached, or null. No DNS. */
  hostProblem(rawHost: string): string | null {
    const host = normalHost(rawHost);
    if (!this.allowed.some((entry) => hostMatches(entry, host))) {
      return `host ${host} is not in OUTBOUND_ALLOWED_HOSTS`;
    }
    return null;
  }

  /**
   * Static checks plus DNS: a public name that resolves to a private or loopback address is
   * refused unless that address (or the literal host) is itself on the list, which stops a
   * DNS record from steering calls into the internal network.
   */
  async assertAllowed(rawUrl: string): Promise<URL> {
    const problem = this.problem(rawUrl);
    if (problem) throw new OutboundRefusedError(`Outbound call refused: ${problem}`);
    const url = new URL(rawUrl);
    await this.assertHostAllowed(hostOf(url));
    return url;
  }

  /** The same checks for a bare host, for connections that are not URLs (postgres sources). */
  async assertHostAllowed(rawHost: string): Promise<void> {
    const problem = this.hostProblem(rawHost);
    if (problem) throw new OutboundRefusedError(`Outbound call refused: ${problem}`);
    const host = normalHost(rawHost);
    if (isIP(host) || host === 'localhost' || (this.allowed.includes(host) && isInternalName(host))) return;
    const addresses = await lookup(host, { all: true });
    const internal = addresses.map((a) => a.address).filter((a) => isPrivateAddress(a) && !this.allowed.includes(a));
    if (internal.length > 0) {
      throw new OutboundRefusedError(`Outbound call refused: ${host} resolves to private address ${internal[0]}, which OUTBOUND_ALLOWED_HOSTS does not name`);
    }
  }
}

function hostOf(url: URL): string {
  return normalHost(url.hostname);
}

/** Lower case, IPv6 brackets dropped: the form allow-list entries are compared in. */
export function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '');
}

function hostMatches(entry: string, host: string): boolean {
  if (entry.startsWith('*.')) return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
  return entry === host;
}

/** Single-label names (e.g. a compose service called `erp`) are internal by intent. */
function isInternalName(host: string): boolean {
  return !host.includes('.');
}

/** Loopback, private, link-local, carrier-grade NAT and unspecified ranges, in both families. */
const INTERNAL_V4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16],
];
const INTERNAL_V6: [string, number][] = [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]];

const internal = (() => {
  const list = new BlockList();
  for (const [net, bits] of INTERNAL_V4) {
    list.addSubnet(net, bits, 'ipv4');
    // The same range written as IPv4-mapped IPv6 (::ffff:10.0.0.1 and its hex spelling).
    list.addSubnet(`::ffff:${net}`, 96 + bits, 'ipv6');
  }
  for (const [net, bits] of INTERNAL_V6) list.addSubnet(net, bits, 'ipv6');
  return list;
})();

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
