import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { LedgerEntryRejected, linkHash, NewLedgerEntry } from '@opsloop/domain';
import { dataSourceOptions, LedgerRepository, sha256Hex, TypeOrmLedgerRepository } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';

function decision(n: number, ids: { loopId?: string; runId?: string } = {}): NewLedgerEntry {
  const decisionId = randomUUID();
  return {
    entryKey: `decision:${decisionId}`,
    type: 'decision',
    loopId: ids.loopId,
    runId: ids.runId,
    decisionId,
    body: { sku: `A-${n}`, qty: n, explanation: { safetyStock: 12.5, reasons: ['low stock', 'lead time'] } },
  };
}

async function appendAll(ledger: LedgerRepository, count: number) {
  const entries = [];
  for (let i = 1; i <= count; i++) entries.push(await ledger.append(decision(i, { runId: randomUUID() })));
  return entries;
}

const countRows = async (ds: DataSource, entryKey: string) =>
  Number((await ds.query(`SELECT count(*) AS n FROM ledger_entries WHERE entry_key = $1`, [entryKey]))[0].n);

// Specs in other workers append to this ledger and verify it, so nothing here edits or deletes rows.
describe('ledger on the shared database', () => {
  let ds: DataSource;
  let ledger: LedgerRepository;
  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 4)).initialize();
    ledger = new TypeOrmLedgerRepository(ds);
  });
  afterAll(() => ds.destroy());

  it('records an entry key once: appending it again returns the first entry and adds no row', async () => {
    const entry = decision(1, { loopId: randomUUID() });
    const first = await ledger.append(entry);
    const again = await ledger.append({ ...entry, body: { sku: 'changed on retry', qty: 2 } });
    expect(again).toEqual(first);
    expect(first.body).toEqual(entry.body);
    expect(await countRows(ds, entry.entryKey)).toBe(1);
  });

  it('refuses NaN and Infinity in a body, naming the field, and records nothing', async () => {
    const entry = { ...decision(1), body: { forecast: [1, NaN] } };
    await expect(ledger.append(entry)).rejects.toThrow(LedgerEntryRejected);
    await expect(ledger.append(entry)).rejects.toThrow(/\$\.body\.forecast\[1\]: NaN cannot be stored/);
    await expect(ledger.append({ ...entry, body: { x: Infinity } })).rejects.toThrow(/\$\.body\.x/);
    expect(await countRows(ds, entry.entryKey)).toBe(0);
  });

  it('refuses strings Postgres jsonb cannot store, naming the field', async () => {
    await expect(ledger.append({ ...decision(1), body: { note: 'a\u0000b' } })).rejects.toThrow(/\$\.body\.note holds a NUL character/);
    await expect(ledger.append({ ...decision(1), body: { note: 'half \ud83d' } })).rejects.toThrow(/\$\.body\.note .*lone surrogate/);
  });

  it('lists entries ascending by seq, filtered by loop, run, decision and type', async () => {
    const loopId = randomUUID();
    const runId = randomUUID();
    const made = [];
    for (let i = 1; i <= 3; i++) made.push(await ledger.append(decision(i, { loopId, runId })));
    const approval = await ledger.append({ entryKey: `approval:${made[1].decisionId}`, type: 'approval', loopId, runId, decisionId: made[1].decisionId!, body: { by: 'planner' } });

    expect((await ledger.list({ loopId, limit: 10 })).map((e) => e.entryKey)).toEqual([...made, approval].map((e) => e.entryKey));
    expect((await ledger.list({ runId, type: 'decision', limit: 10 })).map((e) => e.seq)).toEqual(made.map((e) => e.seq));
    expect(await ledger.list({ decisionId: made[1].decisionId!, limit: 10 })).toEqual([made[1], approval]);
    expect(await ledger.list({ loopId, afterSeq: made[0].seq, limit: 2 })).toEqual([made[1], made[2]]);
  });

  it('accepts uppercase ids and stores them as Postgres prints uuids', async () => {
    const loopId = randomUUID();
    const entry = await ledger.append(decision(1, { loopId: loopId.toUpperCase() }));
    expect(entry.loopId).toBe(loopId);
    expect(await ledger.list({ loopId: loopId.toUpperCase(), limit: 10 })).toEqual([entry]);
  });

  it('verifies the shared ledger as intact while other specs append to it', async () => {
    await ledger.append(decision(1));
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });
});

describe('ledger chain on a scratch database', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let ledger: LedgerRepository;
  beforeEach(async () => {
    db = await createScratchDatabase('ledger');
    ds = await db.dataSource();
    ledger = new TypeOrmLedgerRepository(ds);
  });
  afterEach(() => db.drop());

  it('keeps one contiguous, valid chain under 50 concurrent appends', async () => {
    const appended = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append(decision(i + 1))));
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const verdict = await ledger.verify();
    expect(verdict).toEqual({ ok: true, checked: 50, lastHash: appended.find((e) => e.seq === 50)!.hash, message: expect.stringMatching(/^ledger ok: 50 entries/) });
    expect(await ds.query(`SELECT seq::int, hash FROM ledger_head`)).toEqual([{ seq: 50, hash: verdict.ok ? verdict.lastHash : '' }]);
  });

  it('appends a batch as one valid chain with single appends racing it, once per key', async () => {
    const batch = Array.from({ length: 1200 }, (_, i) => decision(i + 1));
    const [added] = await Promise.all([
      ledger.appendMany([...batch, batch[0]!]),
      ...Array.from({ length: 5 }, (_, i) => ledger.append(decision(2000 + i))),
    ]);
    expect(added).toBe(1200);
    expect(await ledger.appendMany(batch.slice(0, 10))).toBe(0);
    expect(await countRows(ds, batch[0]!.entryKey)).toBe(1);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 1205 });
    const listed = await ledger.list({ decisionId: batch[700]!.decisionId!, limit: 5 });
    expect(listed.map((e) => e.body)).toEqual([batch[700]!.body]);
  });

  it('appends a key once when concurrent retries race each other', async () => {
    const entry = decision(1);
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.append(entry)));
    expect(new Set(results.map((r) => r.seq))).toEqual(new Set([1]));
    expect(await countRows(ds, entry.entryKey)).toBe(1);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('hashes exactly what jsonb gives back, for awkward numbers, strings and key orders', async () => {
    const body = {
      z: 1, a: { y: [3, 2, 1], b: {} }, empty: [], nothing: null, yes: true,
      numbers: [0.1, 0.30000000000000004, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, -0, -12.5, 123456789.12345679],
      strings: ['e\u0301', '\u00e9', '😀', 'line\u2028sep', 'quote " and \\ backslash', ''],
      'ключ': 'unicode key',
    };
    const stored = await ledger.append({ ...decision(1), body });
    const [listed] = await ledger.list({ limit: 1 });
    expect(listed).toEqual(stored);
    expect(listed.body).toEqual(JSON.parse(JSON.stringify(body)));
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('verifies any JSON body after its round trip through jsonb', async () => {
    const bodies = fc.dictionary(fc.string(), fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }))
      .filter((b) => !JSON.stringify(b).includes('\\u0000'));
    await fc.assert(fc.asyncProperty(bodies, async (body) => {
      const stored = await ledger.append({ ...decision(1), body });
      expect(stored.body).toEqual(JSON.parse(JSON.stringify(body)));
      expect((await ledger.list({ afterSeq: stored.seq - 1, limit: 1 }))[0]).toEqual(stored);
    }), { numRuns: 60 });
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 60 });
  });

  it('sees one consistent snapshot, so appends during verification never look like tampering', async () => {
    await appendAll(ledger, 5);
    const paged = new TypeOrmLedgerRepository(ds, 2);
    const appends = Promise.all(Array.from({ length: 30 }, (_, i) => ledger.append(decision(i))));
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => paged.verify()));
    await appends;
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(await paged.verify()).toMatchObject({ ok: true, checked: 35 });
  });

  it('names the row whose body was edited in SQL with jsonb_set', async () => {
    const entries = await appendAll(ledger, 3);
    await db.asDba(`UPDATE ledger_entries SET body = jsonb_set(body, '{body,qty}', '999') WHERE seq = 2`);
    const verdict = await ledger.verify();
    const e = entries[1];
    expect(verdict).toMatchObject({
      ok: false, checked: 1, reason: 'hash-mismatch',
      brokenAt: { seq: 2, entryKey: e.entryKey, type: 'decision', decisionId: e.decisionId, runId: e.runId },
    });
    expect(verdict.message).toContain('ledger BROKEN at seq 2');
    expect(verdict.message).toContain(e.entryKey);
    expect(verdict.message).toContain(`decision ${e.decisionId}`);
  });

  it('names the next row when an edited row was re-hashed to hide the edit', async () => {
    await appendAll(ledger, 3);
    const [row] = await ds.query(`SELECT prev_hash, body FROM ledger_entries WHERE seq = 2`);
    const forged = { ...row.body, body: { ...row.body.body, qty: 999 } };
    await db.asDba(`UPDATE ledger_entries SET body = $1::jsonb, hash = $2 WHERE seq = 2`, [JSON.stringify(forged), linkHash(row.prev_hash, forged, sha256Hex)]);
    expect(await ledger.verify()).toMatchObject({ ok: false, checked: 2, reason: 'prev-hash-mismatch', brokenAt: { seq: 3 } });
  });

  it.each([
    ['decision_id', `UPDATE ledger_entries SET decision_id = gen_random_uuid() WHERE seq = 2`],
    ['entry_type', `UPDATE ledger_entries SET entry_type = 'tune' WHERE seq = 2`],
    ['run_id', `UPDATE ledger_entries SET run_id = NULL WHERE seq = 2`],
    ['recorded_at', `UPDATE ledger_entries SET recorded_at = recorded_at + interval '1 microsecond' WHERE seq = 2`],
  ])('names the row whose %s column was edited without touching its body', async (column, sql) => {
    await appendAll(ledger, 3);
    await db.asDba(sql);
    const verdict = await ledger.verify();
    expect(verdict).toMatchObject({ ok: false, checked: 1, reason: 'column-mismatch', brokenAt: { seq: 2 } });
    expect(verdict.message).toContain(`column ${column} disagrees`);
  });

  it('names the row after one deleted from the middle', async () => {
    const entries = await appendAll(ledger, 4);
    await db.asDba(`DELETE FROM ledger_entries WHERE seq = 2`);
    const verdict = await ledger.verify();
    expect(verdict).toMatchObject({ ok: false, checked: 1, reason: 'sequence-gap', brokenAt: { seq: 3, entryKey: entries[2].entryKey } });
    expect(verdict.message).toContain('row 2 was deleted');
  });

  it('reports a head mismatch when rows are deleted from the end', async () => {
    await appendAll(ledger, 4);
    await db.asDba(`DELETE FROM ledger_entries WHERE seq >= 3`);
    const verdict = await ledger.verify();
    expect(verdict).toMatchObject({ ok: false, checked: 2, reason: 'head-mismatch', brokenAt: { seq: 4, entryKey: null } });
    expect(verdict.message).toContain('rows 3..4 were deleted from the end');
  });

  it('finds a broken row beyond the first page of verification', async () => {
    await appendAll(ledger, 7);
    await db.asDba(`UPDATE ledger_entries SET body = jsonb_set(body, '{body,sku}', '"forged"') WHERE seq = 6`);
    expect(await new TypeOrmLedgerRepository(ds, 2).verify()).toMatchObject({ ok: false, checked: 5, brokenAt: { seq: 6 }, reason: 'hash-mismatch' });
  });

  it('verifies an empty ledger as intact', async () => {
    expect(await ledger.verify()).toEqual({ ok: true, checked: 0, lastHash: '0'.repeat(64), message: expect.stringMatching(/^ledger ok: 0 entries/) });
  });
});
