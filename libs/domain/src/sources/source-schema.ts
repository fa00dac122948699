/**
 * The typed schema every source declares, and the shape of one stored observation.
 * Shared by the API (definition checks), the ingest pipeline, the pull connectors, the quality
 * gate and the metric center, so all of them agree on what a row means.
 */
export const SOURCE_KINDS = ['push', 'postgres', 'http', 'csv'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'timestamp'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** How a personal field is stored: a keyed hash (joinable, not readable) or a masked string. */
export const PERSONAL_TREATMENTS = ['hash', 'mask'] as const;
export type PersonalTreatment = (typeof PERSONAL_TREATMENTS)[number];

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  /** Inclusive bounds for number/integer fields. */
  min?: number;
  max?: number;
  /** Closed list of values for string fields. */
  allowed?: string[];
  /** Personal data: never stored raw. */
  personal?: PersonalTreatment;
}

export interface SourceSchema {
  fields: FieldSpec[];
  /** Field names whose values identify a row; a re-sent row with the same key is skipped or upserted. */
  uniqueKey: string[];
  /** The timestamp field of each observation. */
  timeField: string;
  /** Fields joined with '|' into the series key, e.g. ['sku', 'location'] → 'A-1|store-2'. */
  seriesKey: string[];
  /** The numeric field stored in `value`; observations without one carry only `record`. */
  valueField?: string;
  /** Fields copied into `dims` for filtering and group-by (metric dimensions). */
  dimensions: string[];
}

export type OnDuplicate = 'skip' | 'upsert';
export type GatePolicy = 'block' | 'warn';

/** Expectations the quality gate checks on every batch and every collect. */
export interface QualityExpectations {
  /** Seconds between fresh data points; the newest timestamp older than this fails freshness. */
  expectedCadenceSeconds?: number;
  /** Series keys that must be present in a collect. */
  expectedSeries?: string[];
  /** Largest tolerated gap inside a series, in cadence units (default 1: no gap). */
  maxGapIntervals?: number;
  /** Robust z-score above which a value is flagged as an outlier (kept, not quarantined). */
  outlierZ?: number;
}

/** One row ready to store: the shape of the `observations` table. */
export interface ObservationRow {
  uniqueKey: string;
  seriesKey: string;
  dims: Record<string, string | number | boolean | null>;
  /** ISO-8601 instant. */
  ts: string;
  value: number | null;
  /** All schema fields after typing and masking. */
  record: Record<string, unknown>;
}

/** Why one input row (1-based) or one field of it was refused. */
export interface RowProblem {
  row: number;
  field: string | null;
  reason: string;
}

/** A source as the rest of the system sees it; sealed credentials never leave persistence. */
export interface SourceDefinition {
  id: string;
  name: string;
  kind: SourceKind;
  schema: SourceSchema;
  /** Kind-specific, non-secret settings (query text, URL, pagination, CSV options, ...). */
  config: Record<string, unknown>;
  onDuplicate: OnDuplicate;
  /** Keep the good rows of a batch that also has bad ones; otherwise write nothing. */
  partialBatches: boolean;
  gatePolicy: GatePolicy;
  quality: QualityExpectations;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
}
