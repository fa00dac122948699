/**
 * One row of a batch on its way to the staging table: typed by the source schema, personal
 * fields treated, then one COPY line (an observation, or a quarantine line per problem). Keeps
 * the batch's counts, its first problems and the points the quality gate reads.
 */
import { PersonalHasher, PersonalMasker, RowProblem, RowValidator, SeriesPoints, SourceDefinition, TypedValue } from '@opsloop/domain';
import { CopyLines } from './copy-lines';
import type { RawRow } from './observation-ingest';

export const MAX_REPORTED_PROBLEMS = 100;

/** What streaming a batch into the staging table found out. */
export interface StagedBatch {
  received: number;
  valid: number;
  quarantined: number;
  /** The first MAX_REPORTED_PROBLEMS problems, in input order. */
  problems: RowProblem[];
  points: SeriesPoints;
}

export class BatchStager {
  readonly batch: StagedBatch;
  private readonly validator: RowValidator;
  private readonly masker: PersonalMasker;
  private readonly lines: CopyLines;
  /** Reused for every row: typing allocates no row object. */
  private readonly typed: TypedValue[];

  constructor(source: SourceDefinition, hasher: PersonalHasher, private readonly emit: (line: string) => void) {
    this.validator = new RowValidator(source.schema);
    this.masker = new PersonalMasker(source.schema.fields, hasher);
    this.lines = new CopyLines(this.validator);
    this.typed = new Array<TypedValue>(this.validator.names.length).fill(null);
    this.batch = { received: 0, valid: 0, quarantined: 0, problems: [], points: new SeriesPoints(undefined, source.quality.expectedSeries ?? []) };
  }

  take(raw: RawRow): void {
    const { batch, validator, typed } = this;
    batch.received += 1;
    const problems = validator.typeRow(raw.values, raw.row, typed);
    if (problems !== null) return this.quarantine(raw, problems);
    if (this.masker.active) this.masker.maskTyped(typed);
    const seriesKey = validator.seriesKey(typed);
    const uniqueKey = validator.uniqueKey(typed);
    const unindexable = validator.oversizeKeys(typed, uniqueKey, seriesKey, raw.row);
    if (unindexable !== null) return this.quarantine(raw, unindexable);
    batch.points.add(seriesKey, validator.timeMs, validator.value(typed));
    batch.valid += 1;
    this.emit(this.lines.observation(raw.row, typed, uniqueKey, seriesKey));
  }

  /** Every problem of the row becomes a quarantine line carrying the row as received, personal fields treated. */
  private quarantine(raw: RawRow, problems: RowProblem[]): void {
    this.batch.quarantined += 1;
    const masked = this.masker.maskRaw(raw.values);
    for (const p of problems) {
      if (this.batch.problems.length < MAX_REPORTED_PROBLEMS) this.batch.problems.push(p);
      this.emit(this.lines.quarantine(p, masked));
    }
  }
}
