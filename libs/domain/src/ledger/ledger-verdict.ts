/**
 * Judges a stored ledger: walks its rows in seq order (streamed, so the table never has to fit
 * in memory), then checks the head row, and names the first row that does not fit in words an
 * auditor can act on. Pure: rows, the head and SHA-256 are supplied by the caller.
 */
import { ChainBreak, GENESIS_HASH, linkHash, Sha256Hex } from './hash-chain';
import { columnMismatch, LedgerColumns } from './ledger-entry';
import type { AnchorCheck } from './anchor';

export type LedgerBreak = ChainBreak | 'column-mismatch' | 'head-mismatch' | 'anchor-mismatch';
export const LEDGER_BREAKS: readonly LedgerBreak[] = ['sequence-gap', 'prev-hash-mismatch', 'hash-mismatch', 'column-mismatch', 'head-mismatch', 'anchor-mismatch'];

/** The row a broken verdict points at; for `head-mismatch` the row is gone, so only `seq` is known. */
export interface LedgerRowRef {
  seq: number;
  entryKey: string | null;
  type: string | null;
  decisionId: string | null;
  runId: string | null;
}

export type LedgerVerdict =
  | { ok: true; checked: number; lastHash: string; message: string }
  | { ok: false; checked: number; brokenAt: LedgerRowRef; reason: LedgerBreak; message: string };

export interface StoredLedgerRow {
  seq: number;
  prevHash: string;
  hash: string;
  /** The hashed record as read back (jsonb parsed). */
  body: unknown;
  columns: LedgerColumns;
}

export interface LedgerHead {
  seq: number;
  hash: string;
}

export async function verifyLedger(rows: AsyncIterable<StoredLedgerRow>, readHead: () => Promise<LedgerHead | null>, sha256: Sha256Hex): Promise<LedgerVerdict> {
  let expectedSeq = 1;
  let expectedPrev = GENESIS_HASH;
  let checked = 0;
  for await (const row of rows) {
    const broken = (reason: LedgerBreak, why: string) => brokenVerdict(checked, refOf(row), reason, why);
    if (row.seq < expectedSeq) return broken('sequence-gap', `expected seq ${expectedSeq} here: a row was inserted with a seq the ledger never issued`);
    if (row.seq > expectedSeq) return broken('sequence-gap', `expected seq ${expectedSeq} here, so ${gapSize(expectedSeq, row.seq)} deleted`);
    if (row.prevHash !== expectedPrev) return broken('prev-hash-mismatch', `its prev_hash is not the hash of seq ${expectedSeq - 1}: the row before it was replaced, or this row was re-hashed`);
    if (linkHash(row.prevHash, row.body, sha256) !== row.hash) return broken('hash-mismatch', 'its stored body no longer hashes to its hash: the row was edited after it was recorded');
    const column = columnMismatch(row.body, row.columns);
    if (column) return broken('column-mismatch', `column ${column} disagrees with the hashed body: the column was edited after the row was recorded`);
    expectedSeq += 1;
    expectedPrev = row.hash;
    checked += 1;
  }
  return checkHead(await readHead(), checked, expectedPrev);
}

/**
 * An intact chain can still be a rewritten one (rows and head changed together): the anchor,
 * signed outside the database, has the last word. A broken chain keeps its own, earlier reason.
 */
export function withAnchorCheck(verdict: LedgerVerdict, anchor: { seq: number } | null, check: AnchorCheck | null): LedgerVerdict {
  if (!verdict.ok) return verdict;
  if (!anchor || !check) return { ...verdict, message: `${verdict.message}; no anchor written yet` };
  if (check.ok) return { ...verdict, message: `${verdict.message}; ${check.message}` };
  return brokenVerdict(verdict.checked, missingRow(anchor.seq), 'anchor-mismatch', check.message);
}

/** Rows deleted from the end leave an intact chain; only the head still remembers them. */
function checkHead(head: LedgerHead | null, checked: number, lastHash: string): LedgerVerdict {
  if (!head) return brokenVerdict(checked, missingRow(checked + 1), 'head-mismatch', 'the ledger_head row is missing');
  if (head.seq === checked && head.hash === lastHash) {
    return { ok: true, checked, lastHash, message: `ledger ok: ${checked} ${checked === 1 ? 'entry' : 'entries'}, last hash ${lastHash.slice(0, 12)}…` };
  }
  const why = head.seq > checked
    ? `ledger_head says the chain ends at seq ${head.seq}, but the last row is seq ${checked}: ${gapSize(checked + 1, head.seq + 1)} deleted from the end`
    : `ledger_head (seq ${head.seq}, hash ${head.hash.slice(0, 12)}…) does not match the last row (seq ${checked}, hash ${lastHash.slice(0, 12)}…): the head or the rows were changed outside the ledger`;
  return brokenVerdict(checked, missingRow(head.seq), 'head-mismatch', why);
}

function missingRow(seq: number): LedgerRowRef {
  return { seq, entryKey: null, type: null, decisionId: null, runId: null };
}

function brokenVerdict(checked: number, ref: LedgerRowRef, reason: LedgerBreak, why: string): LedgerVerdict {
  return { ok: false, checked, brokenAt: ref, reason, message: `ledger BROKEN at seq ${ref.seq}${describeRow(ref)}: ${reason} — ${why}` };
}

function describeRow(ref: LedgerRowRef): string {
  const parts = [
    ref.entryKey !== null ? `entry ${ref.entryKey}` : null,
    ref.decisionId !== null ? `decision ${ref.decisionId}` : null,
    ref.runId !== null ? `run ${ref.runId}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function refOf(row: StoredLedgerRow): LedgerRowRef {
  const c = row.columns;
  return { seq: row.seq, entryKey: c.entryKey, type: c.type, decisionId: c.decisionId, runId: c.runId };
}

function gapSize(from: number, to: number): string {
  const n = to - from;
  return n === 1 ? `row ${from} was` : `rows ${from}..${to - 1} were`;
}
