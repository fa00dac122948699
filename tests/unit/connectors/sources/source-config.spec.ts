import { checkSourceConfig, OutboundPolicy, parseSourceConfig, PostgresTargetPolicy } from '@opsloop/connectors';

const allowed = new OutboundPolicy(['api.example.com', 'db.example.com', '127.0.0.1']);
const fields = (errors: { field: string }[]) => errors.map((e) => e.field).sort();
const PG_SECRET = { connectionString: 'postgres://reader:pw@db.example.com:5432/sales' };

describe('checkSourceConfig: postgres', () => {
  it('accepts a parameterised query with its connection string and fills the defaults', () => {
    const config = { query: 'SELECT sku, qty FROM stock WHERE site = $1', params: ['eu-1'] };
    expect(checkSourceConfig('postgres', config, PG_SECRET, allowed)).toEqual([]);
    expect(parseSourceConfig('postgres', config)).toMatchObject({ statementTimeoutMs: 10_000, rowLimit: 100_000, params: ['eu-1'] });
  });

  it('requires secret.connectionString as a postgres URL, without echoing it', () => {
    expect(fields(checkSourceConfig('postgres', { query: 'SELECT 1' }, null, allowed))).toEqual(['secret.connectionString']);
    const bad = checkSourceConfig('postgres', { query: 'SELECT 1' }, { connectionString: 'mysql://u:hunter2@h/db' }, allowed);
    expect(fields(bad)).toEqual(['secret.connectionString']);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
  });

  it('refuses a connection string whose host is not on the allow-list, naming the secret field but not its password', () => {
    const errors = checkSourceConfig('postgres', { query: 'SELECT 1' }, { connectionString: 'postgres://u:hunter2@db.other.net/sales' }, allowed);
    expect(errors).toEqual([{ field: 'secret.connectionString', messages: ['secret.connectionString host db.other.net is not in OUTBOUND_ALLOWED_HOSTS'] }]);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });

  it("refuses opsloop's own database when given the env's policy", () => {
    const own = PostgresTargetPolicy.fromEnv(allowed, { DATABASE_URL: 'postgres://opsloop:pw@db.example.com:5432/opsloop' });
    const errors = checkSourceConfig('postgres', { query: 'SELECT 1' }, { connectionString: 'postgres://r:x@db.example.com/opsloop' }, allowed, null, own);
    expect(errors).toEqual([{ field: 'secret.connectionString', messages: [expect.stringMatching(/^secret\.connectionString is opsloop's own database/)] }]);
    expect(checkSourceConfig('postgres', { query: 'SELECT 1' }, PG_SECRET, allowed, null, own)).toEqual([]);
  });

  it('names unknown keys, non-scalar params and out-of-range limits', () => {
    const errors = checkSourceConfig('postgres', { query: 'SELECT 1', params: [{ a: 1 }], rowLimit: 0, statementTimeoutMs: 5, color: 'red' }, PG_SECRET, allowed);
    expect(fields(errors)).toEqual(['config.color', 'config.params', 'config.rowLimit', 'config.statementTimeoutMs']);
  });

  it('refuses a query calling a function with effects outside a read-only transaction', () => {
    const errors = checkSourceConfig('postgres', { query: 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity' }, PG_SECRET, allowed);
    expect(errors).toEqual([{ field: 'config.query', messages: [expect.stringContaining('pg_terminate_backend()')] }]);
  });
});

describe('checkSourceConfig: http', () => {
  const url = 'https://api.example.com/v1/tickets';

  it('accepts each pagination style with its own fields', () => {
    for (const pagination of [
      { type: 'next-url', nextPath: 'links.next' },
      { type: 'page', param: 'page', start: 0, maxPages: 20 },
      { type: 'cursor', cursorPath: 'meta.cursor', param: 'after', maxPages: 50 },
    ]) {
      expect(checkSourceConfig('http', { url, itemsPath: 'data.items', fieldMap: { ts: 'created.at' }, pagination }, null, allowed)).toEqual([]);
    }
  });

  it('refuses a host that is not on the allow-list', () => {
    const errors = checkSourceConfig('http', { url: 'https://evil.example.net/x' }, null, allowed);
    expect(errors).toEqual([{ field: 'config.url', messages: ['config.url host evil.example.net is not in OUTBOUND_ALLOWED_HOSTS'] }]);
  });

  it('names the missing field of a pagination style and fields that belong to another style', () => {
    expect(fields(checkSourceConfig('http', { url, pagination: { type: 'page', param: 'p' } }, null, allowed))).toEqual(['config.pagination.maxPages']);
    expect(fields(checkSourceConfig('http', { url, pagination: { type: 'cursor', param: 'after', maxPages: 3 } }, null, allowed))).toEqual(['config.pagination.cursorPath']);
    expect(fields(checkSourceConfig('http', { url, pagination: { type: 'next-url', nextPath: 'next', param: 'p' } }, null, allowed))).toEqual(['config.pagination.param']);
    expect(fields(checkSourceConfig('http', { url, pagination: { type: 'offset' } }, null, allowed))).toContain('config.pagination.type');
  });

  it('refuses field maps that are not dotted paths and header secrets with bad names or values', () => {
    expect(fields(checkSourceConfig('http', { url, fieldMap: { ts: 'a..b' } }, null, allowed))).toEqual(['config.fieldMap']);
    expect(fields(checkSourceConfig('http', { url }, { headers: { 'bad header': 'x' } }, allowed))).toEqual(['secret.headers']);
    expect(fields(checkSourceConfig('http', { url }, { headers: { authorization: 'a\r\nb' } }, allowed))).toEqual(['secret.headers']);
    expect(checkSourceConfig('http', { url }, { headers: { authorization: 'Bearer t0k3n' } }, allowed)).toEqual([]);
  });
});

describe('checkSourceConfig: csv and push', () => {
  it('accepts a relative path with parser options', () => {
    const config = { path: 'exports/stock.csv', delimiter: ';', encoding: 'latin1', headerMap: { Artikel: 'sku' } };
    expect(checkSourceConfig('csv', config, null, allowed, '/srv/csv')).toEqual([]);
  });

  it('refuses paths that could leave OPSLOOP_CSV_ROOT', () => {
    for (const path of ['../etc/passwd', 'a/../../b.csv', '/etc/passwd', 'C:\\x.csv', 'a\\..\\b.csv']) {
      expect(fields(checkSourceConfig('csv', { path }, null, allowed, '/srv/csv'))).toEqual(['config.path']);
    }
  });

  it('refuses a file path when OPSLOOP_CSV_ROOT is not set, saying so', () => {
    const errors = checkSourceConfig('csv', { path: 'stock.csv' }, null, allowed, null);
    expect(errors).toEqual([{ field: 'config.path', messages: [expect.stringContaining('OPSLOOP_CSV_ROOT is not set')] }]);
    expect(checkSourceConfig('csv', {}, null, allowed, null)).toEqual([]);
  });

  it('names a bad delimiter, an unknown encoding and a secret on a kind that takes none', () => {
    expect(fields(checkSourceConfig('csv', { delimiter: ';;', encoding: 'ebcdic' }, { token: 'x' }, allowed, '/srv/csv')))
      .toEqual(['config.delimiter', 'config.encoding', 'secret']);
    expect(fields(checkSourceConfig('push', { maxBatchRows: 0 }, null, allowed))).toEqual(['config.maxBatchRows']);
    expect(checkSourceConfig('push', { maxBatchRows: 50_000, headerMap: { Date: 'ts' } }, null, allowed)).toEqual([]);
  });

  it('refuses a config that is not an object', () => {
    expect(checkSourceConfig('http', 'https://api.example.com', null, allowed)).toEqual([{ field: 'config', messages: ['config must be an object'] }]);
  });
});

describe('checkSourceConfig: postgres statements', () => {
  it.each(['INSERT INTO t VALUES (1)', 'update t set a = 1', '/* c */ DELETE FROM t', 'DROP TABLE t', '-- x\nCREATE TABLE t (a int)', 'COPY t TO STDOUT'])(
    'refuses %j as a source query, naming the statement', (query) => {
      const errors = checkSourceConfig('postgres', { query }, PG_SECRET, allowed);
      expect(errors).toEqual([{ field: 'config.query', messages: [expect.stringMatching(/must be a SELECT \(or WITH, VALUES, TABLE\), not [A-Z]+$/)] }]);
    });

  it.each(['SELECT 1', '(SELECT 1)', 'with x as (select 1) select * from x', '-- note\nVALUES (1)', 'TABLE stock'])('accepts the reading statement %j', (query) => {
    expect(checkSourceConfig('postgres', { query }, PG_SECRET, allowed)).toEqual([]);
  });
});
