/**
 * Root running from a folder other users cannot enter (root's home, a `mktemp -d` folder): the
 * embedded Postgres runs as the `postgres` user, so its binaries and data must live elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { closedAncestor, freePort, locatePostgresBinaries, reachableDataDir, startEmbeddedPostgres } from '@opsloop/devstack';

const asRoot = os.userInfo().uid === 0;

describe('embedded Postgres from a private folder', () => {
  let privateDir: string;

  beforeAll(() => {
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-private-'));
    fs.chmodSync(privateDir, 0o700);
  });
  afterAll(() => fs.rmSync(privateDir, { recursive: true, force: true }));

  it('names the folder the postgres user cannot enter', () => {
    expect(closedAncestor(path.join(privateDir, 'a', 'b'))).toBe(privateDir);
    expect(closedAncestor(path.join(os.tmpdir(), 'x'))).toBeNull();
  });

  // Without root, Postgres runs as the caller, who can reach its own files: nothing moves.
  it(asRoot ? 'runs binaries copied out of a private node_modules' : 'runs the shipped binaries in place', async () => {
    const shipped = await locatePostgresBinaries();
    const privateNative = path.join(privateDir, 'native');
    fs.cpSync(path.dirname(path.dirname(shipped.initdb)), privateNative, { recursive: true, verbatimSymlinks: true });
    const bin = await locatePostgresBinaries(undefined, {
      initdb: path.join(privateNative, 'bin', 'initdb'),
      postgres: path.join(privateNative, 'bin', 'postgres'),
    });
    if (!asRoot) {
      expect(bin.initdb.startsWith(privateDir)).toBe(true);
      return;
    }
    expect(bin.initdb.startsWith(privateDir)).toBe(false);
    expect(closedAncestor(bin.initdb)).toBeNull();
    expect(fs.statSync(bin.postgres).mode & 0o005).toBe(0o005);
  });

  it('keeps its data where the server can reach it and serves queries', async () => {
    const wanted = path.join(privateDir, 'pg');
    if (asRoot) expect(reachableDataDir(wanted).movedBecause).toContain(privateDir);
    else expect(reachableDataDir(wanted)).toEqual({ dir: wanted, movedBecause: null });
    const pg = await startEmbeddedPostgres({ dataDir: wanted, port: await freePort(), database: 'private_check', persistent: false });
    try {
      expect(pg.dataDir.startsWith(privateDir)).toBe(!asRoot);
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS db');
      await client.end();
      expect(rows[0].db).toBe('private_check');
    } finally {
      await pg.stop();
    }
    expect(fs.existsSync(pg.dataDir)).toBe(false);
  });
});
