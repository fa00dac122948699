/**
 * Told after observations are written, so derived data (metric values) refreshes incrementally.
 * The ingest pipeline calls every bound listener; a listener's failure never fails the batch.
 */
export interface ObservationsWritten {
  sourceId: string;
  batchId: string;
  /** The range of observation timestamps the batch touched (ISO-8601). */
  minTs: string;
  maxTs: string;
}

export abstract class IngestListener {
  abstract observationsWritten(event: ObservationsWritten): Promise<void>;
}
