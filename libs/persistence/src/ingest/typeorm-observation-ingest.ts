/**
 * The ingest pipeline on Postgres: parse → validate → mask → COPY into a temporary staging table
 * (streamed, never row by row), then one set-based move into observations with the source's
 * skip/upsert rule, the quarantine rows, the batch record and source health, all in one
 * transaction. Listeners hear about written rows after the commit.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { PersonalHasher, qualityReport, SeriesPoints, SourceDefinition, SourceQualityReport } from '@opsloop/domain';
import { IngestListener } from '../ingest-listener';
import { BatchStager, StagedBatch } from './batch-stager';
import * as sql from './ingest-sql';
import { BatchReport, BatchStatus, IngestOptions, ObservationIngest, RawRow, rowChunksOf } from './observation-ingest';
import { StageCopy } from './stage-copy';

/** "ON CONFLICT DO UPDATE command cannot affect row a second time". */
const CARDINALITY_VIOLATION = '21000';

export interface IngestDependencies {
  /** A keyed hasher for personal fields, fresh per batch (any cache it keeps dies with the batch). */
  hasher: () => PersonalHasher;
  /** Every bound listener, looked up when a batch commits. */
  listeners: () => IngestListener[];
}

interface Moved {
  /** New unique keys. */
  inserted: number;
  /** Inserted plus (upsert) changed rows. */
  written: number;
  /** Valid rows repeating a key seen earlier in the batch. */
  repeatsInBatch: number;
  /** Distinct keys of the batch that were stored before it. */
  alreadyStored: number;
}

export class TypeOrmObservationIngest extends ObservationIngest {
  private readonly log = new Logger('ObservationIngest');

  constructor(private readonly ds: DataSource, private readonly deps: IngestDependencies) {
    super();
  }

  async ingest(source: SourceDefinition, rows: AsyncIterable<RawRow>, opts: IngestOptions): Promise<BatchReport> {
    const batchId = randomUUID();
    const startedAt = new Date();
    const clock = [performance.now()];
    const { staged, report } = await this.inTransaction(async (client) => {
      // The in-batch repeat count is a hash aggregate over the whole batch: give it memory.
      await client.query(`SET LOCAL work_mem = '64MB'`);
      await client.query(sql.CREATE_STAGE);
      const staged = await this.stage(client, source, rows);
      clock.push(performance.now());
      return { staged, report: await this.settle(client, source, staged, { batchId, startedAt, ...opts }) };
    });
    clock.push(performance.now());
    this.log.log(`Batch ${batchId} of source ${source.id} ${report.status}: ${report.rowsReceived} rows, ${report.rowsWritten} written, `
      + `${report.rowsDuplicate} duplicate, ${report.rowsQuarantined} quarantined; read and staged in ${Math.round(clock[1]! - clock[0]!)} ms, `
      + `stored in ${Math.round(clock[2]! - clock[1]!)} ms`);
    if (report.rowsWritten > 0) await this.notify(source.id, batchId, staged.points);
    return report;
  }

  async recordFailure(sourceId: string, error: string, opts: IngestOptions): Promise<void> {
    const message = withoutSecrets(error);
    await this.inTransaction(async (client) => {
      await client.query(sql.INSERT_BATCH, [randomUUID(), sourceId, opts.origin, 'failed', 0, 0, 0, 0, null, message, opts.runId ?? null, new Date()]);
      await client.query(sql.HEALTH_AFTER_FAILURE, [sourceId, message]);
    });
  }

  /** Streams the rows into the staging table; the only awaits are for the next chunk and a full socket. */
  private async stage(client: PoolClient, source: SourceDefinition, rows: AsyncIterable<RawRow>): Promise<StagedBatch> {
    const copy = new StageCopy(client, sql.COPY_STAGE);
    const stager = new BatchStager(source, this.deps.hasher(), (line) => copy.add(line));
    try {
      for await (const chunk of rowChunksOf(rows)) {
        for (const raw of chunk) {
          stager.take(raw);
          if (copy.full()) await copy.flush();
        }
      }
      await copy.finish();
    } catch (err) {
      await copy.abort();
      throw err;
    }
    return stager.batch;
  }

  private async settle(client: PoolClient, source: SourceDefinition, b: StagedBatch, ctx: IngestOptions & { batchId: string; startedAt: Date }): Promise<BatchReport> {
    const storedNewest = await client.query<{ newest_ts: Date | null }>(sql.STORED_NEWEST, [source.id]);
    const rejected = b.quarantined > 0 && (!source.partialBatches || b.valid === 0);
    const moved = await this.move(client, source, b, ctx.batchId, rejected);
    const status: BatchStatus = rejected ? 'rejected' : b.quarantined > 0 ? 'partial' : 'accepted';
    const quality = qualityReport({
      rowsReceived: b.received, rowsQuarantined: b.quarantined, duplicatesInBatch: moved.repeatsInBatch,
      duplicatesStored: moved.alreadyStored, onDuplicate: source.onDuplicate, points: b.points,
      expectations: source.quality, gatePolicy: source.gatePolicy, nowMs: Date.now(),
      storedNewestMs: storedNewest.rows[0]?.newest_ts?.getTime() ?? null,
    });
    const error = rejected ? rejectionMessage(b) : null;
    await client.query(sql.INSERT_BATCH, [
      ctx.batchId, source.id, ctx.origin, status, b.received, moved.written, duplicatesOf(status, moved), b.quarantined,
      JSON.stringify(quality), error, ctx.runId ?? null, ctx.startedAt,
    ]);
    if (b.quarantined > 0) await client.query(sql.MOVE_QUARANTINE, [source.id, ctx.batchId]);
    await this.updateHealth(client, source.id, b, moved, error);
    return report(ctx.batchId, status, b, moved, quality);
  }

  /**
   * Set-based move of the staged rows. The repeat count (a hash aggregate over the batch) is only
   * computed when some row was not inserted: a batch of fresh keys, the common case, skips it.
   */
  private async move(client: PoolClient, source: SourceDefinition, b: StagedBatch, batchId: string, rejected: boolean): Promise<Moved> {
    const none: Moved = { inserted: 0, written: 0, repeatsInBatch: 0, alreadyStored: 0 };
    if (b.valid === 0) return none;
    if (rejected) return { ...none, repeatsInBatch: await this.repeats(client) };
    const params = [source.id, batchId];
    if (source.onDuplicate === 'skip') {
      const inserted = (await client.query(sql.moveObservations('skip', false), params)).rowCount ?? 0;
      const repeatsInBatch = inserted === b.valid ? 0 : await this.repeats(client);
      return { inserted, written: inserted, repeatsInBatch, alreadyStored: b.valid - repeatsInBatch - inserted };
    }
    // Upsert cannot touch a key twice in one statement: try without deduplication, which only
    // fails when the batch repeats a key, and then deduplicate (the last row of a key wins).
    let repeatsInBatch = 0;
    let res = await this.attempt(client, sql.moveObservations('upsert', false), params);
    if (res === null) {
      repeatsInBatch = await this.repeats(client);
      res = await client.query<{ inserted: string; updated: string }>(sql.moveObservations('upsert', true), params);
    }
    const inserted = Number(res.rows[0]?.inserted ?? 0);
    return { inserted, written: inserted + Number(res.rows[0]?.updated ?? 0), repeatsInBatch, alreadyStored: b.valid - repeatsInBatch - inserted };
  }

  private async repeats(client: PoolClient): Promise<number> {
    return Number((await client.query<{ repeats: string }>(sql.IN_BATCH_REPEATS)).rows[0]?.repeats ?? 0);
  }

  /** The upsert inside a savepoint; null when it hit a key repeated within the batch. */
  private async attempt(client: PoolClient, statement: string, params: unknown[]): Promise<QueryResult<{ inserted: string; updated: string }> | null> {
    await client.query('SAVEPOINT upsert_once');
    try {
      const res = await client.query<{ inserted: string; updated: string }>(statement, params);
      await client.query('RELEASE SAVEPOINT upsert_once');
      return res;
    } catch (err) {
      if ((err as { code?: string }).code !== CARDINALITY_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT upsert_once');
      return null;
    }
  }

  private async updateHealth(client: PoolClient, sourceId: string, b: StagedBatch, moved: Moved, error: string | null): Promise<void> {
    if (error !== null) {
      await client.query(sql.HEALTH_AFTER_REJECTION, [sourceId, b.quarantined, error]);
      return;
    }
    const newest = b.points.newestMs === null ? null : new Date(b.points.newestMs).toISOString();
    await client.query(sql.HEALTH_AFTER_SUCCESS, [sourceId, newest, moved.inserted, b.quarantined]);
  }

  /** Derived data refreshes after the commit; a listener's failure never undoes or fails the batch. */
  private async notify(sourceId: string, batchId: string, points: SeriesPoints): Promise<void> {
    if (points.oldestMs === null || points.newestMs === null) return;
    const event = { sourceId, batchId, minTs: new Date(points.oldestMs).toISOString(), maxTs: new Date(points.newestMs).toISOString() };
    for (const listener of this.deps.listeners()) {
      try {
        await listener.observationsWritten(event);
      } catch (err) {
        this.log.warn(`Ingest listener ${listener.constructor.name} failed after batch ${batchId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = (this.ds.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: without this, a server that goes away mid-batch
    // would crash the process with an unhandled 'error' event instead of failing this batch.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      // A connection that could not roll back is closed rather than handed to the next caller.
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function report(batchId: string, status: BatchStatus, b: StagedBatch, moved: Moved, quality: SourceQualityReport): BatchReport {
  return {
    batchId, status, rowsReceived: b.received, rowsWritten: moved.written, rowsDuplicate: duplicatesOf(status, moved),
    rowsQuarantined: b.quarantined, problems: b.problems, quality,
  };
}

/** Rows not written because their key was taken: none when the whole batch was refused. */
function duplicatesOf(status: BatchStatus, moved: Moved): number {
  return status === 'rejected' ? 0 : moved.repeatsInBatch + moved.alreadyStored;
}

function rejectionMessage(b: StagedBatch): string {
  const why = b.valid === 0 ? 'no row passed the schema' : 'the source does not accept partial batches';
  return `${b.quarantined} of ${b.received} rows failed the schema and ${why}: nothing was written`;
}

/** Credentials that drivers like to echo in errors: URL user info and key=value secrets. */
export function withoutSecrets(message: string): string {
  const cleaned = message
    .replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***:***@')
    .replace(/\b(password|passwd|pwd|token|secret|api[_-]?key|authorization)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2***');
  return cleaned.length > 1000 ? `${cleaned.slice(0, 997)}...` : cleaned;
}
