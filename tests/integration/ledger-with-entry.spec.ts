/**
 * `withEntry`: a config change and its ledger entry commit in one transaction. A change that
 * fails leaves no entry; an entry the ledger refuses leaves no change; the chain stays valid
 * while plain appends race it.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerEntryRejected, NewLedgerEntry } from '@opsloop/domain';
import { LedgerRepository, TypeOrmLedgerRepository } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';

const entry = (body: Record<string, unknown> = { subject: 'loop' }): NewLedgerEntry => ({ entryKey: `config:${randomUUID()}`, type: 'config', body });

describe('ledger entries written in the same transaction as the change', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let ledger: LedgerRepository;
  beforeAll(async () => {
    db = await createScratchDatabase('ledger_with_entry');
    ds = await db.dataSource();
    ledger = new TypeOrmLedgerRepository(ds);
    await ds.query('CREATE TABLE probe (id text PRIMARY KEY)');
  });
  afterAll(() => db.drop());

  const probes = async () => (await ds.query('SELECT id FROM probe ORDER BY id')).map((r: { id: string }) => r.id);
  const entries = async () => (await ledger.list({ type: 'config', limit: 1000 })).map((e) => e.entryKey);

  it('commits the change and its entry together', async () => {
    const e = entry();
    const result = await ledger.withEntry(async (tx) => {
      await tx.query(`INSERT INTO probe (id) VALUES ('a')`);
      return { result: 'done', entry: e };
    });
    expect(result).toBe('done');
    expect(await probes()).toContain('a');
    expect(await entries()).toContain(e.entryKey);
  });

  it('writes no entry when the change fails', async () => {
    const e = entry();
    await expect(ledger.withEntry(async (tx) => {
      await tx.query(`INSERT INTO probe (id) VALUES ('b')`);
      throw new Error('Temporal said no');
    })).rejects.toThrow('Temporal said no');
    expect(await probes()).not.toContain('b');
    expect(await entries()).not.toContain(e.entryKey);
  });

  it('undoes the change when the ledger refuses its entry', async () => {
    await expect(ledger.withEntry(async (tx) => {
      await tx.query(`INSERT INTO probe (id) VALUES ('c')`);
      return { result: null, entry: entry({ value: Number.NaN }) };
    })).rejects.toBeInstanceOf(LedgerEntryRejected);
    expect(await probes()).not.toContain('c');
  });

  it('appends nothing for a change that changed nothing', async () => {
    const before = (await ledger.verify()).checked;
    await ledger.withEntry(async () => ({ result: null, entry: null }));
    expect((await ledger.verify()).checked).toBe(before);
  });

  it('keeps one valid chain while plain appends race changes with entries', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0
      ? ledger.append(entry())
      : ledger.withEntry(async (tx) => {
        await tx.query(`INSERT INTO probe (id) VALUES ($1)`, [`race-${i}`]);
        return { result: null, entry: entry() };
      }))));
    expect(await ledger.verify()).toMatchObject({ ok: true });
    expect((await probes()).filter((p: string) => p.startsWith('race-'))).toHaveLength(10);
  });
});
