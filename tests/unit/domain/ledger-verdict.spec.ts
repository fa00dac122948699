import { createHash } from 'node:crypto';
import {
  buildLedgerRecord,
  columnMismatch,
  LedgerEntryRejected,
  LedgerHead,
  LedgerRecord,
  nextLink,
  NewLedgerEntry,
  StoredLedgerRow,
  verifyLedger,
} from '@opsloop/domain';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const AT = new Date('2026-01-02T03:04:05.678Z');

const entry = (n: number): NewLedgerEntry => ({
  entryKey: `decision:${n}`,
  type: 'decision',
  runId: '6F1C1D3E-8A1B-4D2A-9C1E-1234567890AB',
  decisionId: `00000000-0000-4000-8000-00000000000${n}`,
  body: { sku: `A-${n}`, qty: n },
});

/** Rows as the adapter would read them back: columns copied from the record, micros appended. */
function chain(count: number): StoredLedgerRow[] {
  const rows: StoredLedgerRow[] = [];
  for (let n = 1; n <= count; n++) {
    const record = buildLedgerRecord(entry(n), AT);
    const link = nextLink(rows.at(-1) ?? null, record, sha256);
    rows.push({ ...link, columns: columnsOf(record) });
  }
  return rows;
}

const columnsOf = (r: LedgerRecord) => ({
  entryKey: r.entryKey, type: r.type, loopId: r.loopId, runId: r.runId, decisionId: r.decisionId,
  recordedAtMicros: r.recordedAt.replace('Z', '000Z'),
});

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const headOf = (rows: StoredLedgerRow[]): LedgerHead =>
  rows.length ? { seq: rows[rows.length - 1].seq, hash: rows[rows.length - 1].hash } : { seq: 0, hash: '0'.repeat(64) };

const judge = (rows: StoredLedgerRow[], head: LedgerHead | null = headOf(rows)) => verifyLedger(stream(rows), async () => head, sha256);

describe('ledger record', () => {
  it('repeats every column inside the hashed record, ids lowercased as Postgres prints uuids', () => {
    expect(buildLedgerRecord(entry(1), AT)).toEqual({
      entryKey: 'decision:1', type: 'decision', loopId: null, runId: '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab',
      decisionId: '00000000-0000-4000-8000-000000000001', recordedAt: '2026-01-02T03:04:05.678Z', body: { sku: 'A-1', qty: 1 },
    });
  });

  it('keeps the record in the shape JSON gives back: dates as strings, undefined dropped, -0 as 0', () => {
    const record = buildLedgerRecord({ ...entry(1), body: { at: AT, gone: undefined, zero: -0, list: [undefined] } }, AT);
    expect(record.body).toEqual({ at: '2026-01-02T03:04:05.678Z', zero: 0, list: [null] });
    expect(Object.is(record.body.zero, 0)).toBe(true);
  });

  it.each([
    ['an empty entry key', { entryKey: ' ' }, /entryKey must be a non-empty string/],
    ['an unknown type', { type: 'opinion' }, /type must be one of decision, approval, action, outcome, tune/],
    ['a body that is not an object', { body: [1] }, /body must be an object/],
    ['NaN', { body: { a: { b: NaN } } }, /\$\.body\.a\.b: NaN cannot be stored/],
    ['a NUL character in a key', { body: { 'a\u0000': 1 } }, /\$\.body \(a key\) holds a NUL/],
  ])('refuses %s with a message naming the entry', (_what, change, message) => {
    const build = () => buildLedgerRecord({ ...entry(1), ...change } as NewLedgerEntry, AT);
    expect(build).toThrow(LedgerEntryRejected);
    expect(build).toThrow(message);
    expect(build).toThrow(/^ledger entry ".*" cannot be recorded: /);
  });

  it('names the first column that disagrees with the record, down to the microsecond', () => {
    const record = buildLedgerRecord(entry(1), AT);
    expect(columnMismatch(record, columnsOf(record))).toBeNull();
    expect(columnMismatch(record, { ...columnsOf(record), loopId: '6f1c1d3e-8a1b-4d2a-9c1e-000000000000' })).toBe('loop_id');
    expect(columnMismatch(record, { ...columnsOf(record), recordedAtMicros: '2026-01-02T03:04:05.678001Z' })).toBe('recorded_at');
    expect(columnMismatch('not a record', columnsOf(record))).toBe('entry_key');
  });
});

describe('ledger verdict', () => {
  it('passes an intact chain and reports its last hash', async () => {
    const rows = chain(3);
    expect(await judge(rows)).toEqual({ ok: true, checked: 3, lastHash: rows[2].hash, message: `ledger ok: 3 entries, last hash ${rows[2].hash.slice(0, 12)}…` });
  });

  it('names the edited row with its entry key, decision and run', async () => {
    const rows = chain(3);
    rows[1] = { ...rows[1], body: { ...(rows[1].body as LedgerRecord), body: { sku: 'A-2', qty: 999 } } };
    expect(await judge(rows)).toEqual({
      ok: false, checked: 1, reason: 'hash-mismatch',
      brokenAt: { seq: 2, entryKey: 'decision:2', type: 'decision', decisionId: '00000000-0000-4000-8000-000000000002', runId: '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab' },
      message: 'ledger BROKEN at seq 2 (entry decision:2, decision 00000000-0000-4000-8000-000000000002, run 6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab): '
        + 'hash-mismatch — its stored body no longer hashes to its hash: the row was edited after it was recorded',
    });
  });

  it('names a row inserted with a seq the ledger never issued', async () => {
    const rows = chain(2);
    expect(await judge([{ ...rows[0], seq: 0 }, ...rows])).toMatchObject({ ok: false, reason: 'sequence-gap', brokenAt: { seq: 0 }, message: expect.stringContaining('never issued') });
  });

  it('reports a head that no longer matches the last row, or is missing', async () => {
    const rows = chain(3);
    expect(await judge(rows.slice(0, 1), headOf(rows))).toMatchObject({ ok: false, checked: 1, reason: 'head-mismatch', brokenAt: { seq: 3, entryKey: null }, message: expect.stringContaining('rows 2..3 were deleted from the end') });
    expect(await judge(rows, { seq: 3, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, checked: 3, reason: 'head-mismatch', message: expect.stringContaining('changed outside the ledger') });
    expect(await judge(rows, null)).toMatchObject({ ok: false, reason: 'head-mismatch', message: expect.stringContaining('ledger_head row is missing') });
  });

  it('passes an empty ledger whose head is at genesis', async () => {
    expect(await judge([])).toMatchObject({ ok: true, checked: 0, message: expect.stringMatching(/^ledger ok: 0 entries/) });
  });
});
