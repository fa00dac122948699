/** Params of the replenishment kind, validated by class-validator; defaults apply when left out. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { DEFAULT_SERVICE_LEVEL_TUNING } from '@opsloop/policies';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
/** The most items one run may name in its scope (a run over all of a source's items names none). */
export const MAX_SCOPE_ITEMS = 10_000;

export class SourceRefParams {
  @IsUUID()
  sourceId!: string;

  /** Pull the source before reading (pull kinds only); false reads what is already stored. */
  @IsOptional() @IsBoolean()
  pull = true;
}

export class ReplenishmentSourcesParams {
  /** Daily demand per sku and location (value field: units). */
  @ValidateNested() @Type(() => SourceRefParams)
  demand!: SourceRefParams;

  /** Closing stock per sku and location; the newest point is the current on-hand. */
  @ValidateNested() @Type(() => SourceRefParams)
  onHand!: SourceRefParams;

  /** Purchase order lines; lines with status `open` count as on order. */
  @IsOptional() @ValidateNested() @Type(() => SourceRefParams)
  openOrders?: SourceRefParams;

  /** Lead time, its variability, cost, MOQ, pack size and supplier per sku (and location). */
  @ValidateNested() @Type(() => SourceRefParams)
  itemMaster!: SourceRefParams;
}

export class ScopeParams {
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_SCOPE_ITEMS) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(200, { each: true })
  items?: string[];

  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(200, { each: true })
  locations?: string[];
}

export class OutcomeParams {
  /** Measure this many seconds after the run instead of after review period + longest lead time (demos, tests). */
  @IsOptional() @IsInt() @Min(1) @Max(400 * 86_400)
  afterSeconds?: number;
}

export class FactorTuningParams {
  /** The tune step is on unless switched off here. */
  @IsOptional() @IsBoolean() enabled = true;
  @IsNumber(FINITE) @Min(0.1) @Max(5) minFactor = DEFAULT_SERVICE_LEVEL_TUNING.minFactor;
  @IsNumber(FINITE) @Min(0.1) @Max(5) maxFactor = DEFAULT_SERVICE_LEVEL_TUNING.maxFactor;
  @IsNumber(FINITE) @Min(0.01) @Max(1) step = DEFAULT_SERVICE_LEVEL_TUNING.step;
  /** How many of the most recent measured order outcomes make up the trailing window. */
  @IsInt() @Min(1) @Max(1000) window = 20;
  @IsNumber(FINITE) @Min(0) @Max(0.2) tolerance = DEFAULT_SERVICE_LEVEL_TUNING.tolerance;
}

export class ReplenishmentLoopParams {
  /** The fill rate to reach: the share of demand served from stock. */
  @IsNumber(FINITE) @Min(0.5) @Max(0.999)
  targetServiceLevel = 0.95;

  /** Days between two orders of the same item (the loop's schedule should match it). */
  @IsNumber(FINITE) @Min(1) @Max(90)
  reviewPeriodDays = 7;

  /** Most one run may commit, Σ quantity × unit cost; orders are funded by stockout risk. */
  @IsOptional() @IsNumber(FINITE) @Min(0)
  budgetCap?: number;

  /** Multiplier on the safety factor; the tune step moves it within `tuning`'s bounds. */
  @IsNumber(FINITE) @Min(0.1) @Max(5)
  serviceLevelFactor = 1;

  /** Days of demand history read per item (at most about three years). */
  @IsInt() @Min(28) @Max(1100)
  historyDays = 730;

  /** Longest lead time expected: with the review period it sets when outcomes are measured. */
  @IsInt() @Min(1) @Max(365)
  maxLeadTimeDays = 28;

  @ValidateNested() @Type(() => ReplenishmentSourcesParams)
  sources!: ReplenishmentSourcesParams;

  @IsOptional() @ValidateNested() @Type(() => ScopeParams)
  scope?: ScopeParams;

  @IsOptional() @ValidateNested() @Type(() => OutcomeParams)
  outcome?: OutcomeParams;

  @IsOptional() @ValidateNested() @Type(() => FactorTuningParams)
  tuning?: FactorTuningParams;
}
