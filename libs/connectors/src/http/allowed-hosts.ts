/**
 * The outbound allow-list. Every HTTP call opsloop makes (webhook actions, probes, later HTTP
 * sources) goes through `OutboundPolicy`, so a loop config can never point traffic anywhere an
 * admin did not name in OUTBOUND_ALLOWED_HOSTS.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

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
    const host = hostOf(url);
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
    const host = hostOf(url);
    if (isIP(host) || host === 'localhost' || (this.allowed.includes(host) && isInternalName(host))) return url;
    const addresses = await lookup(host, { all: true });
    const internal = addresses.map((a) => a.address).filter((a) => isPrivateAddress(a) && !this.allowed.includes(a));
    if (internal.length > 0) {
      throw new OutboundRefusedError(`Outbound call refused: ${host} resolves to private address ${internal[0]}, which OUTBOUND_ALLOWED_HOSTS does not name`);
    }
    return url;
  }
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

function hostMatches(entry: string, host: string): boolean {
  if (entry.startsWith('*.')) return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
  return entry === host;
}

/** Single-label names (e.g. a compose service called `erp`) are internal by intent. */
function isInternalName(host: string): boolean {
  return !host.includes('.');
}

export function isPrivateAddress(address: string): boolean {
  if (address === '::1' || address === '::') return true;
  const v6 = address.toLowerCase();
  if (v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80')) return true;
  const mapped = v6.startsWith('::ffff:') ? v6.slice(7) : address;
  const parts = mapped.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p))) return false;
  const [a, b] = parts as [number, number, number, number];
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}
