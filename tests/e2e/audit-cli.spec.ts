import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@opsloop/devstack';
import { LedgerEntry } from '@opsloop/domain';
import { TypeOrmLedgerRepository } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';
import { writeStackDatabaseUrl } from '../../apps/cli/src/stack-database';
import { cleanEnv, runEntry } from '../support/spawn';

// An empty OPSLOOP_HOME: no key from a developer's own `npm start` state leaks into these runs.
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-audit-home-'));
const audit = (env: Record<string, string>, ...args: string[]) => runEntry('apps/cli/src/main.ts', cleanEnv({ OPSLOOP_HOME: emptyHome, ...env }), ['audit', ...args]).done;

async function seededDatabase(label: string): Promise<{ db: ScratchDatabase; entries: LedgerEntry[] }> {
  const db = await createScratchDatabase(label);
  const ledger = new TypeOrmLedgerRepository(await db.dataSource());
  const entries: LedgerEntry[] = [];
  for (let i = 1; i <= 3; i++) {
    const decisionId = randomUUID();
    entries.push(await ledger.append({ entryKey: `decision:${decisionId}`, type: 'decision', decisionId, body: { sku: `A-${i}`, qty: i } }));
  }
  return { db, entries };
}

describe('opsloop audit verify on an intact ledger', () => {
  let db: ScratchDatabase;
  let entries: LedgerEntry[];
  beforeAll(async () => ({ db, entries } = await seededDatabase('audit_ok')));
  afterAll(() => db.drop());

  it('exits 0 and says the ledger is ok, without printing the URL', async () => {
    const { code, output } = await audit({ DATABASE_URL: db.url }, 'verify');
    expect(output.trim()).toBe(`ledger ok: 3 entries, last hash ${entries[2].hash.slice(0, 12)}…; no anchor written yet`);
    expect(code).toBe(0);
    expect(output).not.toContain(decodeURIComponent(new URL(db.url).password));
  });

  it('prints the verdict as JSON with --json', async () => {
    const { code, output } = await audit({ DATABASE_URL: db.url }, 'verify', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ ok: true, checked: 3, lastHash: entries[2].hash });
  });
});

describe('opsloop audit verify on a tampered ledger', () => {
  let db: ScratchDatabase;
  let entries: LedgerEntry[];
  beforeAll(async () => {
    ({ db, entries } = await seededDatabase('audit_tampered'));
    await db.asDba(`UPDATE ledger_entries SET body = jsonb_set(body, '{body,qty}', '99') WHERE seq = 2`);
  });
  afterAll(() => db.drop());

  it('exits 1 naming the seq, entry and decision of the first broken row', async () => {
    const { code, output } = await audit({ DATABASE_URL: db.url }, 'verify');
    expect(output).toMatch(/^ledger BROKEN at seq 2 /);
    expect(output).toContain(`entry ${entries[1].entryKey}`);
    expect(output).toContain(`decision ${entries[1].decisionId}`);
    expect(output).toContain('hash-mismatch');
    expect(code).toBe(1);
  });

  it('exits 1 with the broken verdict as JSON with --json', async () => {
    const { code, output } = await audit({ DATABASE_URL: db.url }, 'verify', '--json');
    expect(JSON.parse(output)).toMatchObject({ ok: false, reason: 'hash-mismatch', brokenAt: { seq: 2, entryKey: entries[1].entryKey } });
    expect(code).toBe(1);
  });
});

describe('opsloop audit verify beside a running npm start', () => {
  let db: ScratchDatabase;
  let home: string;
  beforeAll(async () => {
    ({ db } = await seededDatabase('audit_stack'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-audit-home-'));
  });
  afterAll(async () => {
    fs.rmSync(home, { recursive: true, force: true });
    await db.drop();
  });

  it('checks the database npm start keeps in OPSLOOP_HOME/database-url when DATABASE_URL is unset', async () => {
    writeStackDatabaseUrl(home, db.url);
    const { code, output } = await audit({ OPSLOOP_HOME: home }, 'verify');
    expect(output).toMatch(/^ledger ok: 3 entries/);
    expect(code).toBe(0);
  });

  it('says the stack may have stopped, without the password, when that database does not answer', async () => {
    const url = new URL(db.url);
    url.port = String(await freePort());
    writeStackDatabaseUrl(home, url.toString());
    const { code, output } = await audit({ OPSLOOP_HOME: home }, 'verify');
    expect(code).toBe(2);
    expect(output).toContain(`cannot connect to Postgres at 127.0.0.1:${url.port}${url.pathname} (the database of \`npm start\``);
    expect(output).toMatch(/is it still running\?/);
    expect(output).not.toContain(decodeURIComponent(url.password));
  });
});

describe('opsloop audit usage and configuration errors', () => {
  it('exits 2 saying how to point it at a database when DATABASE_URL is unset and no npm start runs, printing no password', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-audit-empty-'));
    try {
      const { code, output } = await audit({ OPSLOOP_HOME: home }, 'verify');
      expect(code).toBe(2);
      expect(output).toMatch(/DATABASE_URL is not set, and no `npm start` is running here/);
      expect(output).toContain('DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DATABASE');
      expect(output).not.toContain('opsloop-dev');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('exits 2 when DATABASE_URL is not a postgres URL, without echoing it', async () => {
    const { code, output } = await audit({ DATABASE_URL: 'mysql://u:sekrit-value@h/db' }, 'verify');
    expect(code).toBe(2);
    expect(output).toMatch(/DATABASE_URL must be a postgres:\/\//);
    expect(output).not.toContain('sekrit-value');
  });

  it('exits 2 when Postgres cannot be reached, naming the host but not the password', async () => {
    const port = await freePort();
    const { code, output } = await audit({ DATABASE_URL: `postgres://u:sekrit-value@127.0.0.1:${port}/x` }, 'verify');
    expect(code).toBe(2);
    expect(output).toContain(`cannot connect to Postgres at 127.0.0.1:${port}/x`);
    expect(output).not.toContain('sekrit-value');
  });

  it('exits 2 when the database has no ledger tables yet, saying migrations have not run', async () => {
    const empty = await createScratchDatabase('audit_empty', { migrate: false });
    try {
      const { code, output } = await audit({ DATABASE_URL: empty.url }, 'verify');
      expect(code).toBe(2);
      expect(output).toMatch(/has no ledger tables: its migrations have not run/);
    } finally {
      await empty.drop();
    }
  });

  it('exits 2 with usage for a missing or unknown subcommand or option', async () => {
    for (const args of [[], ['tamper'], ['verify', '--yaml']]) {
      const { code, output } = await audit({ DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }, ...args);
      expect(code).toBe(2);
      expect(output).toContain('usage: opsloop audit verify [--json]');
    }
  });

  it('is listed in the command help', async () => {
    const { code, output } = await runEntry('apps/cli/src/main.ts', cleanEnv({}), ['help']).done;
    expect(code).toBe(0);
    expect(output).toMatch(/audit\s+audit verify: check the ledger hash chain/);
  });
});
