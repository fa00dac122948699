/** Params and event payload of the threshold-alert kind, validated by class-validator. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';
import type { Direction } from '@opsloop/policies';
import { AnomalyParams, type Detector, DETECTORS, MAX_HISTORY_POINTS, MetricRef } from './anomaly.params';
import { SourceReadingParams } from './source-readings';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

export class ProbeParams {
  /** GET, JSON reply; the host must be on OUTBOUND_ALLOWED_HOSTS. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  url!: string;

  /** Dotted path to the number in the reply, e.g. `data.load`. */
  @Matches(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, { message: 'field must be a dotted path like data.value' })
  field!: string;

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  series = 'probe';
}

export class BoundTuningParams {
  @IsNumber(FINITE) minBound!: number;
  @IsNumber(FINITE) maxBound!: number;
  @IsNumber(FINITE) @Min(0) step!: number;
  @IsNumber(FINITE) @Min(0) @Max(1) targetPrecision!: number;
  @IsInt() @Min(1) @Max(1000) window!: number;
}

export class ThresholdAlertParams {
  /** Required by the bound detector; the anomaly detector has none. */
  @ValidateIf((p: ThresholdAlertParams) => p.detector !== 'anomaly') @IsNumber(FINITE)
  bound!: number;

  @IsIn(['above', 'below'])
  direction: Direction = 'above';

  @IsOptional() @ValidateNested() @Type(() => ProbeParams)
  probe?: ProbeParams;

  /** Read the latest point of these series from a source (pulled first when it is a pull source). */
  @IsOptional() @ValidateNested() @Type(() => SourceReadingParams)
  source?: SourceReadingParams;

  /** Series expected in every run; a missing one is flagged by the quality check. */
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true })
  expectSeries?: string[];

  /** Judge each alert this long after it was raised; leave out to skip outcome measurement. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_WINDOW_SECONDS)
  outcomeWindowSeconds?: number;

  @IsOptional() @ValidateNested() @Type(() => BoundTuningParams)
  tuning?: BoundTuningParams;

  /**
   * One notification per series per window of this many seconds (UTC-aligned, e.g. 10:00–11:00):
   * a second crossing in the same window is recorded as a duplicate and not sent. The window is
   * the one the reading's own time falls in (a source point's timestamp, a metric bucket), or the
   * run's start for readings without one (events, probes).
   */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_WINDOW_SECONDS)
  alertWindowSeconds?: number;

  /** 'bound' (default): alert past `bound`. 'anomaly' (threshold-alert@2): alert on an outlier against the series' history. */
  @IsOptional() @IsIn(DETECTORS)
  detector?: Detector;

  @IsOptional() @ValidateNested() @Type(() => AnomalyParams)
  anomaly?: AnomalyParams;

  /** Read the value (and its history) from the metric center instead of the event or a probe. */
  @IsOptional() @ValidateNested() @Type(() => MetricRef)
  metric?: MetricRef;
}

export class ReadingInput {
  @IsString() @IsNotEmpty() @MaxLength(200)
  series!: string;

  @IsNumber(FINITE)
  value!: number;

  /** Earlier values of the series, oldest first, for the anomaly detector. */
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_HISTORY_POINTS) @IsNumber(FINITE, { each: true })
  history?: number[];
}

export class ThresholdAlertEvent {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10_000) @ValidateNested({ each: true }) @Type(() => ReadingInput)
  readings!: ReadingInput[];
}
