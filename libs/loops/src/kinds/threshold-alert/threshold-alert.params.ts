/** Params and event payload of the threshold-alert kind, validated by class-validator. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import type { Direction } from '@opsloop/policies';
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
  @IsNumber(FINITE)
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
}

export class ReadingInput {
  @IsString() @IsNotEmpty() @MaxLength(200)
  series!: string;

  @IsNumber(FINITE)
  value!: number;
}

export class ThresholdAlertEvent {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10_000) @ValidateNested({ each: true }) @Type(() => ReadingInput)
  readings!: ReadingInput[];
}
