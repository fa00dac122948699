/**
 * The two timed loads: the same rows pushed through POST /api/v1/sources/:id/observations
 * (streamed with backpressure, one batch), and COPY straight into a table identical to
 * `observations` (same columns, defaults, indexes and foreign key), the physical reference.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export const REFERENCE_TABLE = 'bench_raw_observations';

export interface PushResult {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

export function push(baseUrl: string, apiKey: string, sourceId: string, contentType: string, chunks: Buffer[], bytes: number): Promise<PushResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1/sources/${sourceId}/observations`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'content-length': String(bytes), authorization: `Bearer ${apiKey}` },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    void writeAll(req, chunks).then(() => req.end(), reject);
  });
}

async function writeAll(out: NodeJS.WritableStream, chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
}

export async function createReferenceTable(db: Client): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${REFERENCE_TABLE} (LIKE observations INCLUDING ALL)`);
  await db.query(`ALTER TABLE ${REFERENCE_TABLE} DROP CONSTRAINT IF EXISTS ${REFERENCE_TABLE}_source_fk`);
  await db.query(`ALTER TABLE ${REFERENCE_TABLE} ADD CONSTRAINT ${REFERENCE_TABLE}_source_fk FOREIGN KEY (source_id) REFERENCES sources (id)`);
}

/** One COPY of the prepared text, committed; the time includes the commit, like the API's. */
export async function rawCopy(db: Client, chunks: Buffer[]): Promise<number> {
  const started = performance.now();
  await db.query('BEGIN');
  const stream = db.query(copyFrom(`COPY ${REFERENCE_TABLE} (source_id, unique_key, series_key, dims, ts, value, record, batch_id) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  await writeAll(stream, chunks);
  stream.end();
  await done;
  await db.query('COMMIT');
  return performance.now() - started;
}

/** Both tables empty and the WAL checkpointed before each load, so neither inherits the other's work. */
export async function resetTables(db: Client): Promise<void> {
  await db.query(`TRUNCATE observations, ${REFERENCE_TABLE}`);
  await db.query('CHECKPOINT');
}
