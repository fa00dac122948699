/**
 * The postgres pull connector against a real "outside" database (a scratch database on the test
 * Postgres, connected as its superuser, so nothing but the connector's own guards stops a write).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { OutboundPolicy, PostgresSource, PostgresTargetPolicy, scrubber, SourcePullError } from '@opsloop/connectors';
import type { SourceDefinition } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';

function definition(config: Record<string, unknown>): SourceDefinition {
  return {
    id: randomUUID(), name: 'outside', kind: 'postgres', config, onDuplicate: 'skip', partialBatches: true, gatePolicy: 'warn', quality: {},
    hasSecret: true, createdAt: '', updatedAt: '',
    schema: { fields: [], uniqueKey: [], timeField: 'ts', seriesKey: [], dimensions: [] },
  };
}

/**
 * The scratch database lives on the test Postgres, so loopback is allowed explicitly; opsloop's
 * own database (DATABASE_URL) stays refused, and the scratch one is another database.
 */
const connector = new PostgresSource(new PostgresTargetPolicy(new OutboundPolicy(['127.0.0.1', 'localhost']), process.env.DATABASE_URL!));

async function pull(url: string, config: Record<string, unknown>): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const r of connector.pull(definition(config), { connectionString: url })) rows.push(r);
  return rows;
}

async function pullError(url: string, config: Record<string, unknown>): Promise<SourcePullError> {
  try {
    await pull(url, config);
  } catch (err) {
    if (err instanceof SourcePullError) return err;
    throw err;
  }
  throw new Error('the pull succeeded');
}

describe('postgres source', () => {
  let outside: ScratchDatabase;
  let admin: Client;
  const password = () => decodeURIComponent(new URL(outside.ownerUrl).password);

  beforeAll(async () => {
    outside = await createScratchDatabase('pgsource', { migrate: false });
    admin = new Client({ connectionString: outside.ownerUrl });
    await admin.connect();
    await admin.query(`
      CREATE TABLE readings (series text, ts timestamptz, value numeric, at_local timestamp);
      INSERT INTO readings VALUES
        ('cpu.eu', '2024-05-01T10:00:00Z', 91.5, '2024-05-01 12:00:00'),
        ('cpu.eu', '2024-05-01T11:00:00Z', 97, '2024-05-01 13:00:00'),
        ('cpu.us', '2024-05-01T10:00:00Z', 40, '2024-05-01 05:00:00');
      CREATE TABLE audit (n int);
      CREATE SEQUENCE ticket_no;
      CREATE FUNCTION record_audit() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (1); RETURN 1; END $$;
    `);
  });

  afterAll(async () => {
    await admin.end();
    await outside.drop();
  });

  async function untouched(): Promise<void> {
    const state = await admin.query(`SELECT (SELECT count(*) FROM readings)::int AS readings, (SELECT count(*) FROM audit)::int AS audit,
      (SELECT last_value FROM ticket_no) AS seq, (SELECT is_called FROM ticket_no) AS called`);
    expect(state.rows[0]).toEqual({ readings: 3, audit: 0, seq: '1', called: false });
  }

  it('reads the rows of a parameterised query, numbered, with timestamps as Postgres prints them', async () => {
    const rows = await pull(outside.ownerUrl, { query: 'SELECT series, ts, value FROM readings WHERE series = $1 ORDER BY ts;', params: ['cpu.eu'] });
    expect(rows).toEqual([
      { row: 1, values: { series: 'cpu.eu', ts: '2024-05-01 10:00:00+00', value: '91.5' } },
      { row: 2, values: { series: 'cpu.eu', ts: '2024-05-01 11:00:00+00', value: '97' } },
    ]);
  });

  it('streams more rows than one fetch holds', async () => {
    const rows = await pull(outside.ownerUrl, { query: 'SELECT g AS n FROM generate_series(1, 2500) g' });
    expect(rows).toHaveLength(2500);
    expect(rows[2499]).toEqual({ row: 2500, values: { n: 2500 } });
  });

  it.each([
    ['an INSERT', "INSERT INTO readings VALUES ('x', now(), 1, now())"],
    ['an UPDATE', 'UPDATE readings SET value = 0'],
    ['a DROP TABLE', 'DROP TABLE readings'],
  ])('refuses %s statement before it reaches the database', async (_kind, query) => {
    const err = await pullError(outside.ownerUrl, { query });
    expect(err.message).toMatch(/query refused: postgres sources only read/);
    expect(err.retryable).toBe(false);
    await untouched();
  });

  it('stops a write hidden in a WITH clause', async () => {
    const err = await pullError(outside.ownerUrl, { query: "WITH w AS (INSERT INTO audit VALUES (7) RETURNING n) SELECT * FROM w" });
    expect(err.message).toMatch(/query stopped: it tried to change data .*data-modifying/);
    await untouched();
  });

  it('stops nextval() and a function that writes: the transaction is read-only', async () => {
    const seq = await pullError(outside.ownerUrl, { query: "SELECT nextval('ticket_no')" });
    expect(seq.message).toBe('query stopped: it tried to change data (cannot execute nextval() in a read-only transaction); postgres sources are read-only');
    const fn = await pullError(outside.ownerUrl, { query: 'SELECT record_audit()' });
    expect(fn.message).toContain('cannot execute INSERT in a read-only transaction');
    expect(fn.retryable).toBe(false);
    await untouched();
  });

  it('cannot smuggle a second statement past the read-only transaction', async () => {
    const err = await pullError(outside.ownerUrl, { query: 'SELECT 1) q; COMMIT; DROP TABLE readings; SELECT * FROM (SELECT 1' });
    expect(err.message).toMatch(/cannot insert multiple commands into a prepared statement/);
    await untouched();
  });

  it('refuses functions that act outside the transaction', async () => {
    const err = await pullError(outside.ownerUrl, { query: 'SELECT pg_advisory_lock(42)' });
    expect(err.message).toBe('query refused: it calls pg_advisory_lock(), which has effects outside a read-only transaction');
  });

  it('stops a query that runs past its statement timeout, as a retryable failure', async () => {
    const started = Date.now();
    const err = await pullError(outside.ownerUrl, { query: 'SELECT pg_sleep(10)', statementTimeoutMs: 300 });
    expect(err.message).toBe('query stopped: it ran past its statement timeout of 300 ms');
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails when the query returns more than rowLimit rows, and reads exactly rowLimit', async () => {
    const err = await pullError(outside.ownerUrl, { query: 'SELECT g FROM generate_series(1, 11) g', rowLimit: 10 });
    expect(err.message).toMatch(/^row limit 10 exceeded/);
    expect(await pull(outside.ownerUrl, { query: 'SELECT g FROM generate_series(1, 10) g', rowLimit: 10 })).toHaveLength(10);
  });

  it('rolls back and closes its connection whatever happened', async () => {
    await pullError(outside.ownerUrl, { query: "SELECT nextval('ticket_no')" });
    await pull(outside.ownerUrl, { query: 'SELECT 1 AS one' });
    const open = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'opsloop-source' AND datname = current_database()`);
    expect(open.rows[0].n).toBe(0);
  });

  it('never puts the password or the connection string in an error', async () => {
    // A user named like its password: the server's authentication error prints the user name.
    const secretWord = `Pw${randomUUID().replace(/-/g, '')}`;
    const url = new URL(outside.ownerUrl);
    url.username = secretWord;
    url.password = secretWord;
    const noRole = await pullError(url.toString(), { query: 'SELECT 1' });
    expect(noRole.message).toBe('cannot connect to the source database: password authentication failed for user "***"');
    expect(noRole.message).not.toContain(secretWord);

    const down = new URL(outside.ownerUrl);
    down.port = '1';
    const refused = await pullError(down.toString(), { query: 'SELECT 1' });
    expect(refused.retryable).toBe(true);
    for (const err of [refused, await pullError(outside.ownerUrl, { query: 'SELECT pg_sleep(10)', statementTimeoutMs: 200 })]) {
      expect(err.message).not.toContain(password());
      expect(err.message).not.toContain(outside.ownerUrl);
    }
  });

  it('scrubs the password in raw and URL-encoded form', () => {
    const scrub = scrubber('postgres://reader:p%40ss%2Fword@db.example.com/sales');
    expect(scrub('failed for p@ss/word and p%40ss%2Fword at postgres://reader:p%40ss%2Fword@db.example.com/sales')).toBe('failed for *** and *** at ***');
  });
});
