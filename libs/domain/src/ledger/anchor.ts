/**
 * Anchors pin the ledger's head outside the database: which ledger, its sequence, hash and time,
 * signed with an HMAC under a key Postgres never holds. Whoever can rewrite rows and the head in
 * Postgres can make the chain consistent again, but cannot forge an anchor, so a cut tail or a
 * re-hashed chain no longer matches the newest anchor. Pure: the MAC function is passed in.
 */
import { LedgerHead } from './ledger-verdict';

export type MacHex = (text: string) => string;

export interface LedgerAnchor {
  /** Which ledger: the Postgres system identifier and database name. */
  ledger: string;
  seq: number;
  hash: string;
  at: string;
  mac: string;
}

export type AnchorBreak = 'bad-signature' | 'tail-cut' | 'chain-rewritten';

export type AnchorCheck =
  | { ok: true; message: string }
  | { ok: false; reason: AnchorBreak; message: string };

function signedText(a: Omit<LedgerAnchor, 'mac'>): string {
  return ['opsloop-ledger-anchor-v1', a.ledger, String(a.seq), a.hash, a.at].join('\n');
}

export function signAnchor(ledger: string, head: LedgerHead, at: Date, mac: MacHex): LedgerAnchor {
  const unsigned = { ledger, seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...unsigned, mac: mac(signedText(unsigned)) };
}

export function anchorSignatureValid(anchor: LedgerAnchor, mac: MacHex): boolean {
  return mac(signedText(anchor)) === anchor.mac;
}

/** A short name for messages: the file or webhook copy an auditor can look up. */
export function anchorName(anchor: Pick<LedgerAnchor, 'seq' | 'at'>): string {
  return `anchor seq ${anchor.seq} of ${anchor.at}`;
}

/**
 * Compares the stored chain with an anchor. `hashAtSeq` is the stored hash of the row with the
 * anchor's seq, or null when there is no such row; `lastSeq` is the newest stored seq.
 */
export function checkAnchor(anchor: LedgerAnchor, hashAtSeq: string | null, lastSeq: number, mac: MacHex): AnchorCheck {
  const name = anchorName(anchor);
  if (!anchorSignatureValid(anchor, mac)) {
    return { ok: false, reason: 'bad-signature', message: `${name} has an invalid signature: it was not written by opsloop under this anchor key, or was edited` };
  }
  if (hashAtSeq === null) {
    return { ok: false, reason: 'tail-cut', message: `${name} recorded the ledger up to seq ${anchor.seq}, but it now ends at seq ${lastSeq}: entries ${lastSeq + 1}..${anchor.seq} were cut from the end` };
  }
  if (hashAtSeq !== anchor.hash) {
    return { ok: false, reason: 'chain-rewritten', message: `${name} recorded hash ${anchor.hash.slice(0, 12)}… at seq ${anchor.seq}, but the chain now has ${hashAtSeq.slice(0, 12)}… there: the chain up to it was rewritten` };
  }
  return { ok: true, message: `matches ${name}` };
}
