/**
 * Port and Postgres adapter for the hash-chained decision ledger: append-only rows, each hashing
 * the previous row's hash and its own full record. `ledger_head` is the one row appenders lock,
 * so the chain grows one link at a time however many workers append at once.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  buildLedgerRecord,
  canonicalJson,
  checkAnchor,
  LedgerAnchor,
  MacHex,
  withAnchorCheck,
  LedgerEntry,
  LedgerEntryType,
  LedgerHead,
  LedgerRecord,
  LedgerVerdict,
  NewLedgerEntry,
  nextLink,
  StoredLedgerRow,
  verifyLedger,
} from '@opsloop/domain';

export type { LedgerEntry, LedgerEntryType, LedgerVerdict, NewLedgerEntry } from '@opsloop/domain';

export interface LedgerFilter {
  loopId?: string;
  runId?: string;
  decisionId?: string;
  type?: LedgerEntryType;
  /** Only entries with a greater seq (keyset paging). */
  afterSeq?: number;
  limit: number;
}

export abstract class LedgerRepository {
  /**
   * Idempotent by `entryKey`: appending a key again returns the first entry and adds nothing,
   * whatever the new body says (activity retries call it again). Throws LedgerEntryRejected for
   * bodies JSON cannot hold exactly (NaN, Infinity, NUL characters).
   */
  abstract append(entry: NewLedgerEntry): Promise<LedgerEntry>;
  /**
   * Appends entries in order under one lock and one transaction, idempotent per key like
   * `append`; returns how many were new. A run deciding for thousands of items writes its
   * decision entries this way instead of one round trip each.
   */
  abstract appendMany(entries: NewLedgerEntry[]): Promise<number>;
  /**
   * Runs `change` and appends the entry it returns in the same transaction, so the change and its
   * record commit together or not at all (config changes and who made them). The ledger head is
   * locked only from the append to the commit: keep slow calls inside `change`, before that.
   * A null entry (the change turned out to change nothing) appends nothing.
   */
  abstract withEntry<T>(change: (tx: EntityManager) => Promise<{ result: T; entry: NewLedgerEntry | null }>): Promise<T>;
  /**
   * Like `withEntry` for many entries, appended as `appendMany` does (one lock, in order,
   * idempotent per key): an approval of thousands of decisions commits with its entries or not at all.
   */
  abstract withEntries<T>(change: (tx: EntityManager) => Promise<{ result: T; entries: NewLedgerEntry[] }>): Promise<T>;
  /** Entries in ascending seq order. */
  abstract list(filter: LedgerFilter): Promise<LedgerEntry[]>;
  /**
   * Re-hashes every row from one consistent snapshot and names the first that does not fit;
   * with anchors, also compares the chain with the newest anchor of this ledger.
   */
  abstract verify(anchors?: AnchorSource): Promise<LedgerVerdict>;
  /** Names this ledger for its anchors: the Postgres system identifier and the database. */
  abstract identity(): Promise<string>;
  abstract head(): Promise<LedgerHead>;
  /** The stored hash of the row with this seq, or null when there is none. */
  abstract hashAt(seq: number): Promise<string | null>;
}

/** Where verify() finds the newest anchor, and the MAC that checks its signature. */
export interface AnchorSource {
  newest(ledger: string): LedgerAnchor | null;
  mac: MacHex;
}

/** Records stamped now, the first of each key only (a key given twice is one entry). */
function uniqueRecords(entries: NewLedgerEntry[]): LedgerRecord[] {
  const now = new Date();
  const seen = new Set<string>();
  return entries.map((e) => buildLedgerRecord(e, now)).filter((r) => !seen.has(r.entryKey) && seen.add(r.entryKey));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Rows verify() reads per query: bounded memory however long the ledger grows.
const VERIFY_PAGE_SIZE = 1000;
// Rows per INSERT in appendMany: well under Postgres' parameter and message limits.
const APPEND_CHUNK = 500;

interface EntryRow {
  seq: string;
  body: LedgerRecord;
  prev_hash: string;
  hash: string;
}

interface VerifyRow extends EntryRow {
  entry_key: string;
  entry_type: string;
  loop_id: string | null;
  run_id: string | null;
  decision_id: string | null;
  recorded_at_micros: string;
}

// Filters are fixed column names; values only ever travel as parameters.
const FILTER_COLUMNS = { loopId: 'loop_id', runId: 'run_id', decisionId: 'decision_id', type: 'entry_type' } as const;

/** Built from the hashed record, the authoritative copy; verify() checks the columns against it. */
function toEntry(row: EntryRow): LedgerEntry {
  const r = row.body;
  return {
    seq: Number(row.seq),
    entryKey: r.entryKey,
    type: r.type,
    loopId: r.loopId,
    runId: r.runId,
    decisionId: r.decisionId,
    recordedAt: r.recordedAt,
    body: r.body,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toStoredRow(row: VerifyRow): StoredLedgerRow {
  return {
    seq: Number(row.seq),
    prevHash: row.prev_hash,
    hash: row.hash,
    body: row.body,
    columns: {
      entryKey: row.entry_key,
      type: row.entry_type,
      loopId: row.loop_id,
      runId: row.run_id,
      decisionId: row.decision_id,
      recordedAtMicros: row.recorded_at_micros,
    },
  };
}

@Injectable()
export class TypeOrmLedgerRepository extends LedgerRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly verifyPageSize = VERIFY_PAGE_SIZE,
  ) {
    super();
  }

  async append(entry: NewLedgerEntry): Promise<LedgerEntry> {
    // Validated before any lock is taken; recordedAt comes from here so it is inside the hash.
    const record = buildLedgerRecord(entry, new Date());
    const known = await this.findByKey(this.ds.manager, record.entryKey);
    if (known) return known;
    return this.ds.transaction((m) => this.appendRecord(m, record));
  }

  withEntry<T>(change: (tx: EntityManager) => Promise<{ result: T; entry: NewLedgerEntry | null }>): Promise<T> {
    return this.ds.transaction(async (m) => {
      const { result, entry } = await change(m);
      if (entry) await this.appendRecord(m, buildLedgerRecord(entry, new Date()));
      return result;
    });
  }

  private async appendRecord(m: EntityManager, record: LedgerRecord): Promise<LedgerEntry> {
    const head = await this.readHead(m, 'FOR UPDATE');
    if (!head) throw new Error('ledger_head is missing: the Engine migration has not run on this database');
    // Re-checked under the lock: a concurrent retry of the same key may have won the race.
    const raced = await this.findByKey(m, record.entryKey);
    if (raced) return raced;
    const link = nextLink(head, record, sha256Hex);
    await m.query(
      `INSERT INTO ledger_entries (seq, entry_key, entry_type, loop_id, run_id, decision_id, body, prev_hash, hash, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::timestamptz)`,
      [link.seq, record.entryKey, record.type, record.loopId, record.runId, record.decisionId, canonicalJson(record), link.prevHash, link.hash, record.recordedAt],
    );
    await m.query(`UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1`, [link.seq, link.hash]);
    return toEntry({ seq: String(link.seq), body: record, prev_hash: link.prevHash, hash: link.hash });
  }

  async appendMany(entries: NewLedgerEntry[]): Promise<number> {
    const records = uniqueRecords(entries);
    if (records.length === 0) return 0;
    return this.ds.transaction((m) => this.appendRecords(m, records));
  }

  withEntries<T>(change: (tx: EntityManager) => Promise<{ result: T; entries: NewLedgerEntry[] }>): Promise<T> {
    return this.ds.transaction(async (m) => {
      const { result, entries } = await change(m);
      const records = uniqueRecords(entries);
      if (records.length > 0) await this.appendRecords(m, records);
      return result;
    });
  }

  private async appendRecords(m: EntityManager, records: LedgerRecord[]): Promise<number> {
    let head = await this.readHead(m, 'FOR UPDATE');
    if (!head) throw new Error('ledger_head is missing: the Engine migration has not run on this database');
    const known = await this.existingKeys(m, records.map((r) => r.entryKey));
    const fresh = records.filter((r) => !known.has(r.entryKey));
    for (let i = 0; i < fresh.length; i += APPEND_CHUNK) {
      const rows = fresh.slice(i, i + APPEND_CHUNK).map((record) => {
        const link = nextLink(head, record, sha256Hex);
        head = { seq: link.seq, hash: link.hash };
        return { record, link };
      });
      await m.query(
        `INSERT INTO ledger_entries (seq, entry_key, entry_type, loop_id, run_id, decision_id, body, prev_hash, hash, recorded_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::jsonb[], $8::text[], $9::text[], $10::timestamptz[])`,
        [
          rows.map((r) => r.link.seq), rows.map((r) => r.record.entryKey), rows.map((r) => r.record.type), rows.map((r) => r.record.loopId),
          rows.map((r) => r.record.runId), rows.map((r) => r.record.decisionId), rows.map((r) => canonicalJson(r.record)),
          rows.map((r) => r.link.prevHash), rows.map((r) => r.link.hash), rows.map((r) => r.record.recordedAt),
        ],
      );
    }
    if (fresh.length > 0) await m.query(`UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1`, [head.seq, head.hash]);
    return fresh.length;
  }

  private async existingKeys(m: EntityManager, keys: string[]): Promise<Set<string>> {
    const rows = (await m.query(`SELECT entry_key FROM ledger_entries WHERE entry_key = ANY($1::text[])`, [keys])) as { entry_key: string }[];
    return new Set(rows.map((r) => r.entry_key));
  }

  async list(filter: LedgerFilter): Promise<LedgerEntry[]> {
    const params: unknown[] = [filter.afterSeq ?? 0];
    const conditions = ['seq > $1'];
    for (const [field, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, string][]) {
      const value = filter[field];
      if (value === undefined) continue;
      params.push(field === 'type' ? value : value.toLowerCase());
      conditions.push(`${column} = $${params.length}`);
    }
    params.push(filter.limit);
    const rows = (await this.ds.query(
      `SELECT seq, body, prev_hash, hash FROM ledger_entries WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
      params,
    )) as EntryRow[];
    return rows.map(toEntry);
  }

  verify(anchors?: AnchorSource): Promise<LedgerVerdict> {
    // One snapshot for every page and the head, so appends during the walk cannot look like tampering.
    return this.ds.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const verdict = await verifyLedger(this.storedRows(m), () => this.readHead(m), sha256Hex);
      if (!anchors) return verdict;
      const anchor = anchors.newest(await this.identityIn(m));
      if (!anchor) return withAnchorCheck(verdict, null, null);
      const check = checkAnchor(anchor, await this.hashAtIn(m, anchor.seq), verdict.checked, anchors.mac);
      return withAnchorCheck(verdict, anchor, check);
    });
  }

  identity(): Promise<string> {
    return this.identityIn(this.ds.manager);
  }

  async head(): Promise<LedgerHead> {
    const head = await this.readHead(this.ds.manager);
    if (!head) throw new Error('ledger_head is missing: the Engine migration has not run on this database');
    return head;
  }

  hashAt(seq: number): Promise<string | null> {
    return this.hashAtIn(this.ds.manager, seq);
  }

  private async identityIn(m: EntityManager): Promise<string> {
    const [row] = (await m.query(`SELECT system_identifier::text AS id, current_database() AS db FROM pg_control_system()`)) as { id: string; db: string }[];
    return `${row!.id}/${row!.db}`;
  }

  private async hashAtIn(m: EntityManager, seq: number): Promise<string | null> {
    const [row] = (await m.query(`SELECT hash FROM ledger_entries WHERE seq = $1`, [seq])) as { hash: string }[];
    return row?.hash ?? null;
  }

  private async *storedRows(m: EntityManager): AsyncGenerator<StoredLedgerRow> {
    // null on the first page: no lower bound, so even a hand-inserted seq of 0 or below is seen.
    let afterSeq: string | null = null;
    for (;;) {
      // Keyset pages: each is one index range scan, however deep into the table.
      const rows = (await m.query(
        `SELECT seq, entry_key, entry_type, loop_id, run_id, decision_id, body, prev_hash, hash,
                to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at_micros
         FROM ledger_entries WHERE ($1::bigint IS NULL OR seq > $1) ORDER BY seq LIMIT $2`,
        [afterSeq, this.verifyPageSize],
      )) as VerifyRow[];
      for (const row of rows) yield toStoredRow(row);
      if (rows.length < this.verifyPageSize) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  private async readHead(m: EntityManager, lock: '' | 'FOR UPDATE' = ''): Promise<LedgerHead | null> {
    const [head] = (await m.query(`SELECT seq, hash FROM ledger_head WHERE id = 1 ${lock}`)) as { seq: string; hash: string }[];
    return head ? { seq: Number(head.seq), hash: head.hash } : null;
  }

  private async findByKey(m: EntityManager, entryKey: string): Promise<LedgerEntry | null> {
    const [row] = (await m.query(`SELECT seq, body, prev_hash, hash FROM ledger_entries WHERE entry_key = $1`, [entryKey])) as EntryRow[];
    return row ? toEntry(row) : null;
  }
}
