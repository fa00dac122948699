/**
 * Anchors catch what the hash chain alone cannot: someone with full database rights who cuts the
 * ledger's tail and rewinds the head, or rewrites rows and re-hashes the whole chain after them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anchorMac, validateEnv, WorkerEnv } from '@opsloop/config';
import { linkHash, signAnchor } from '@opsloop/domain';
import { AnchorDirectory, anchorSourceFrom, sha256Hex, TypeOrmLedgerRepository } from '@opsloop/persistence';
import { LedgerAnchorer } from '../../apps/worker/src/anchors/ledger-anchorer';
import { cleanEnv, runEntry } from '../support/spawn';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';

describe('ledger anchors', () => {
  let db: ScratchDatabase;
  let ledger: TypeOrmLedgerRepository;
  let anchorDir: string;
  let env: WorkerEnv;
  let anchorer: LedgerAnchorer;
  const secretKey = randomBytes(32).toString('base64');

  const append = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const decisionId = randomUUID();
      await ledger.append({ entryKey: `decision:${decisionId}`, type: 'decision', decisionId, body: { sku: `S-${i}`, qty: i } });
    }
  };
  const anchored = () => ledger.verify(anchorSourceFrom(new AnchorDirectory(anchorDir), anchorMac(env)));

  beforeEach(async () => {
    db = await createScratchDatabase('anchors');
    ledger = new TypeOrmLedgerRepository(await db.dataSource());
    anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-anchors-'));
    env = validateEnv(WorkerEnv, { ...process.env, DATABASE_URL: db.url, OPSLOOP_SECRET_KEY: secretKey, OPSLOOP_ANCHOR_DIR: anchorDir, OPSLOOP_ANCHOR_EVERY: '5' });
    anchorer = new LedgerAnchorer(ledger, env);
    await append(5);
  });
  afterEach(async () => {
    await db.drop();
    fs.rmSync(anchorDir, { recursive: true, force: true });
  });

  it('writes a signed anchor after N entries, outside the database, and verifies against it', async () => {
    const anchor = await anchorer.anchorIfDue();
    expect(anchor).toMatchObject({ seq: 5, hash: (await ledger.head()).hash });
    expect(await anchorer.anchorIfDue()).toBeNull();
    const files = fs.readdirSync(anchorDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const verdict = await anchored();
    expect(verdict).toMatchObject({ ok: true, checked: 5 });
    expect(verdict.message).toContain('matches anchor seq 5');
  });

  it('waits for N new entries or the interval before the next anchor', async () => {
    const first = (await anchorer.anchorIfDue())!;
    await append(2);
    expect(await anchorer.anchorIfDue(new Date(Date.parse(first.at) + 1000))).toBeNull();
    expect(await anchorer.anchorIfDue(new Date(Date.parse(first.at) + 301_000))).toMatchObject({ seq: 7 });
  });

  it('fails verify naming the anchor when the tail was cut and the head rewound', async () => {
    const anchor = (await anchorer.anchorIfDue())!;
    const hash3 = await ledger.hashAt(3);
    await db.asDba('DELETE FROM ledger_entries WHERE seq > 3');
    await db.asDba('UPDATE ledger_head SET seq = 3, hash = $1', [hash3]);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 3 });
    const verdict = await anchored();
    expect(verdict).toMatchObject({ ok: false, reason: 'anchor-mismatch', brokenAt: { seq: 5 } });
    expect(verdict.message).toContain(`anchor seq 5 of ${anchor.at}`);
    expect(verdict.message).toContain('entries 4..5 were cut from the end');
  });

  it('fails verify naming the anchor when the chain was rewritten and re-hashed', async () => {
    const anchor = (await anchorer.anchorIfDue())!;
    await rehashFrom(2, (body) => ({ ...body, body: { ...(body.body as object), qty: 999 } }));
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 5 });
    const verdict = await anchored();
    expect(verdict).toMatchObject({ ok: false, reason: 'anchor-mismatch' });
    expect(verdict.message).toContain(`anchor seq 5 of ${anchor.at}`);
    expect(verdict.message).toContain('rewritten');
    await append(5);
    await expect(anchorer.anchorIfDue()).rejects.toThrow(/not anchoring seq 10: .*rewritten/);
  });

  it('refuses an anchor signed under another key', async () => {
    const forged = signAnchor(await ledger.identity(), await ledger.head(), new Date(), anchorMac({ OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64') }));
    new AnchorDirectory(anchorDir).write(forged);
    const verdict = await anchored();
    expect(verdict).toMatchObject({ ok: false, reason: 'anchor-mismatch' });
    expect(verdict.message).toContain('invalid signature');
  });

  it('makes `opsloop audit verify` exit 1 and name the anchor after a cut tail', async () => {
    await anchorer.anchorIfDue();
    const hash4 = await ledger.hashAt(4);
    await db.asDba('DELETE FROM ledger_entries WHERE seq > 4');
    await db.asDba('UPDATE ledger_head SET seq = 4, hash = $1', [hash4]);
    const cliEnv = cleanEnv({ DATABASE_URL: db.url, OPSLOOP_SECRET_KEY: secretKey, OPSLOOP_ANCHOR_DIR: anchorDir });
    const { code, output } = await runEntry('apps/cli/src/main.ts', cliEnv, ['audit', 'verify']).done;
    expect(output).toMatch(/ledger BROKEN at seq 5: anchor-mismatch — anchor seq 5 of .* entries 5\.\.5 were cut from the end/);
    expect(code).toBe(1);
  });

  /** What an attacker with full rights does: change a row, then re-link every later row and the head. */
  async function rehashFrom(seq: number, edit: (body: Record<string, unknown>) => Record<string, unknown>) {
    const rows = (await db.asDba('SELECT seq, body, prev_hash FROM ledger_entries WHERE seq >= $1 ORDER BY seq', [seq])) as { seq: string; body: Record<string, unknown>; prev_hash: string }[];
    let prev = rows[0]!.prev_hash;
    for (const [i, row] of rows.entries()) {
      const body = i === 0 ? edit(row.body) : row.body;
      const hash = linkHash(prev, body, sha256Hex);
      await db.asDba('UPDATE ledger_entries SET body = $1::jsonb, prev_hash = $2, hash = $3 WHERE seq = $4', [JSON.stringify(body), prev, hash, row.seq]);
      prev = hash;
    }
    await db.asDba('UPDATE ledger_head SET hash = $1', [prev]);
  }
});
