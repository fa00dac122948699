/**
 * The ingest port: one batch of raw rows in, typed and masked observations stored, bad rows in
 * quarantine, a batch record with its quality report, and source health brought up to date.
 * Used by the push endpoint and by every pull connector, so all sources store data the same way.
 */
import type { RowProblem, SourceDefinition, SourceQualityReport } from '@opsloop/domain';

/** One input row as read from a request body, a CSV file or a pulled page; `row` is 1-based. */
export interface RawRow {
  row: number;
  values: Record<string, unknown>;
}

/**
 * A row source that can also hand its rows over a chunk at a time. Optional: the ingest takes any
 * AsyncIterable<RawRow>, but a million rows cost a million awaits that a chunked reader avoids.
 */
export interface ChunkedRows extends AsyncIterable<RawRow> {
  rowChunks(): AsyncIterable<RawRow[]>;
}

export function chunkedRows(chunks: () => AsyncIterable<RawRow[]>): ChunkedRows {
  return {
    rowChunks: chunks,
    async *[Symbol.asyncIterator]() {
      for await (const chunk of chunks()) yield* chunk;
    },
  };
}

/** The rows of any source as chunks: the source's own chunks when it has them, else one row each. */
export function rowChunksOf(rows: AsyncIterable<RawRow>): AsyncIterable<RawRow[]> {
  if (typeof (rows as Partial<ChunkedRows>).rowChunks === 'function') return (rows as ChunkedRows).rowChunks();
  return (async function* () {
    for await (const row of rows) yield [row];
  })();
}

export type BatchStatus = 'accepted' | 'partial' | 'rejected' | 'failed';

export interface BatchReport {
  batchId: string;
  status: BatchStatus;
  rowsReceived: number;
  rowsWritten: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  /** The first 100 problems, in input order. */
  problems: RowProblem[];
  quality: SourceQualityReport;
}

export interface IngestOptions {
  /** Who sent the batch, e.g. 'push:json', 'push:csv', 'collect:postgres'. */
  origin: string;
  runId?: string;
}

export abstract class ObservationIngest {
  /**
   * Validates, masks, dedupes and stores one batch in one transaction. An error thrown by `rows`
   * (malformed input, over-limit) aborts the batch: nothing is written and the error is rethrown.
   */
  abstract ingest(source: SourceDefinition, rows: AsyncIterable<RawRow>, opts: IngestOptions): Promise<BatchReport>;
  /** Records a batch that could not be read at all and marks the source unhealthy. */
  abstract recordFailure(sourceId: string, error: string, opts: IngestOptions): Promise<void>;
}
