/**
 * The ledger's tamper evidence: each row's hash covers the previous row's hash and the row's own
 * canonical body, so editing, deleting or reordering any row breaks the chain at that row.
 * The hash function is passed in (SHA-256 in persistence) to keep this module free of Node.
 */
import { canonicalJson } from './canonical-json';

export type Sha256Hex = (text: string) => string;

/** The `prevHash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  body: unknown;
}

export type ChainBreak = 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap';

export type ChainVerdict =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; brokenAtSeq: number; reason: ChainBreak };

export function linkHash(prevHash: string, body: unknown, sha256: Sha256Hex): string {
  return sha256(`${prevHash}\n${canonicalJson(body)}`);
}

/** The link to append after `previous` (or as the first row when `previous` is null). */
export function nextLink(previous: Pick<ChainLink, 'seq' | 'hash'> | null, body: unknown, sha256: Sha256Hex): ChainLink {
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { seq: (previous?.seq ?? 0) + 1, prevHash, hash: linkHash(prevHash, body, sha256), body };
}

/** Walks links in `seq` order and names the first one that does not fit. */
export function verifyChain(links: Iterable<ChainLink>, sha256: Sha256Hex): ChainVerdict {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (const link of links) {
    const broken = (reason: ChainBreak): ChainVerdict => ({ ok: false, checked, brokenAtSeq: link.seq, reason });
    if (link.seq !== expectedSeq) return broken('sequence-gap');
    if (link.prevHash !== expectedPrev) return broken('prev-hash-mismatch');
    if (linkHash(link.prevHash, link.body, sha256) !== link.hash) return broken('hash-mismatch');
    expectedPrev = link.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { ok: true, checked, lastHash: expectedPrev };
}
