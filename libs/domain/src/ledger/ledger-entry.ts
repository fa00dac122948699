/**
 * What one ledger row holds: the entry types, the record that is hashed and stored whole, and
 * the check that a row's indexed columns still say what its hashed record says. Pure and
 * Node-free (the persistence adapter supplies SHA-256 and the clock).
 */
import { canonicalJson } from './canonical-json';

/** `config`: a change to a loop, source, metric definition or API key, with its actor (see config-entry.ts). */
export const LEDGER_ENTRY_TYPES = ['decision', 'approval', 'action', 'outcome', 'tune', 'label', 'blocked', 'config'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export function isLedgerEntryType(value: unknown): value is LedgerEntryType {
  return (LEDGER_ENTRY_TYPES as readonly unknown[]).includes(value);
}

export interface NewLedgerEntry {
  /** Business key; appending the same key again returns the first entry (activity retries). */
  entryKey: string;
  type: LedgerEntryType;
  loopId?: string;
  runId?: string;
  decisionId?: string;
  body: Record<string, unknown>;
}

/**
 * The object that is hashed and stored in `ledger_entries.body`. Every column is repeated here,
 * so an edit to any column or any body field breaks the chain or the column check.
 */
export interface LedgerRecord {
  entryKey: string;
  type: LedgerEntryType;
  loopId: string | null;
  runId: string | null;
  decisionId: string | null;
  recordedAt: string;
  /** The caller's body, nested so its field names can never shadow the fields above. */
  body: Record<string, unknown>;
}

export interface LedgerEntry extends LedgerRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export class LedgerEntryRejected extends Error {
  constructor(entryKey: unknown, problem: string) {
    super(`ledger entry ${JSON.stringify(entryKey)} cannot be recorded: ${problem}`);
    this.name = 'LedgerEntryRejected';
  }
}

/**
 * Builds the record to hash, already in the exact shape JSON (and so jsonb) gives back: hashing
 * what is read back must give the hash computed here. Throws LedgerEntryRejected for values a
 * ledger must not silently change (NaN, Infinity, strings Postgres jsonb refuses).
 */
export function buildLedgerRecord(entry: NewLedgerEntry, recordedAt: Date): LedgerRecord {
  const reject = (problem: string) => new LedgerEntryRejected(entry.entryKey, problem);
  if (typeof entry.entryKey !== 'string' || entry.entryKey.trim() === '') throw reject('entryKey must be a non-empty string');
  if (!isLedgerEntryType(entry.type)) throw reject(`type must be one of ${LEDGER_ENTRY_TYPES.join(', ')}`);
  if (entry.body === null || typeof entry.body !== 'object' || Array.isArray(entry.body)) throw reject('body must be an object');
  const record = {
    entryKey: entry.entryKey,
    type: entry.type,
    // uuid columns print lowercase; the record must match them exactly.
    loopId: entry.loopId?.toLowerCase() ?? null,
    runId: entry.runId?.toLowerCase() ?? null,
    decisionId: entry.decisionId?.toLowerCase() ?? null,
    recordedAt: recordedAt.toISOString(),
    body: entry.body,
  };
  let text: string;
  try {
    text = canonicalJson(record);
  } catch (err) {
    throw reject((err as Error).message);
  }
  // Parsed back, so the record holds exactly what jsonb will (dates as strings, no undefined).
  const parsed = JSON.parse(text) as LedgerRecord;
  const unstorable = UNSTORABLE_ANYWHERE.test(text) ? findUnstorableString(parsed, '$') : null;
  if (unstorable) throw reject(`${unstorable} holds a NUL character or a lone surrogate, which Postgres jsonb cannot store`);
  return parsed;
}

/** Columns as read back from a row, for `columnMismatch`. `recordedAt` is ISO with microseconds. */
export interface LedgerColumns {
  entryKey: string;
  type: string;
  loopId: string | null;
  runId: string | null;
  decisionId: string | null;
  recordedAtMicros: string;
}

/** The first column that disagrees with the hashed record, or null when all agree. */
export function columnMismatch(record: unknown, columns: LedgerColumns): string | null {
  const r = (record ?? {}) as Partial<Record<keyof LedgerRecord, unknown>>;
  if (columns.entryKey !== r.entryKey) return 'entry_key';
  if (columns.type !== r.type) return 'entry_type';
  if (columns.loopId !== r.loopId) return 'loop_id';
  if (columns.runId !== r.runId) return 'run_id';
  if (columns.decisionId !== r.decisionId) return 'decision_id';
  // Postgres keeps microseconds; the record has milliseconds, so a sub-millisecond edit still shows.
  if (typeof r.recordedAt !== 'string' || columns.recordedAtMicros !== r.recordedAt.replace(/Z$/, '000Z')) return 'recorded_at';
  return null;
}

// Postgres jsonb rejects \u0000 and unpaired surrogates; refuse them up front with a clear path.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
/**
 * JSON.stringify writes NUL and lone surrogates as \u escapes, so a canonical text without one
 * needs no walk (a false alarm, such as an escaped backslash before "u0000", only costs the walk).
 */
const UNSTORABLE_ANYWHERE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

function findUnstorableString(value: unknown, path: string): string | null {
  if (typeof value === 'string') return unstorable(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (unstorable(key)) return `${path} (a key)`;
    const found = findUnstorableString(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
