/** Request and response shapes of /api/v1/sources and its health, batch and quarantine reads. */
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_INT_PARAM, ToInt } from '../common/params';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { FIELD_TYPES, GatePolicy, OnDuplicate, SOURCE_KINDS, SourceKind } from '@opsloop/domain';
import { IsAbsentOr, SourceSchemaDto } from './source-schema.dto';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const YEAR_SECONDS = 366 * 24 * 3600;
export const BATCH_STATUSES = ['running', 'accepted', 'partial', 'rejected', 'failed'] as const;
export const ON_DUPLICATE = ['skip', 'upsert'] as const;
export const GATE_POLICIES = ['block', 'warn'] as const;
const ANY_JSON = [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }];

export class QualityDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: YEAR_SECONDS, example: 3600, description: 'seconds between data points; an older newest timestamp fails freshness' })
  @IsAbsentOr() @IsInt() @Min(1) @Max(YEAR_SECONDS)
  expectedCadenceSeconds?: number;

  @ApiPropertyOptional({ type: [String], maxItems: 10_000, description: 'series keys every collect must contain' })
  @IsAbsentOr() @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true })
  expectedSeries?: string[];

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 10_000, default: 1, description: 'largest tolerated gap inside a series, in cadence units' })
  @IsAbsentOr() @IsNumber(FINITE) @Min(1) @Max(10_000)
  maxGapIntervals?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, example: 3.5, description: 'robust z-score above which a value is flagged (kept, not quarantined)' })
  @IsAbsentOr() @IsNumber(FINITE) @Min(1) @Max(100)
  outlierZ?: number;
}

export class CreateSourceDto {
  @ApiProperty({ example: 'store sales', minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS }) @IsIn(SOURCE_KINDS, { message: `kind must be one of: ${SOURCE_KINDS.join(', ')}` })
  kind!: SourceKind;

  @ApiProperty({ type: SourceSchemaDto }) @IsObject() @ValidateNested() @Type(() => SourceSchemaDto)
  schema!: SourceSchemaDto;

  @ApiPropertyOptional({ type: Object, description: 'kind-specific settings (query, url, pagination, CSV options)' })
  @IsAbsentOr() @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: Object, nullable: true,
    description: 'credentials: postgres {connectionString}, http {headers}. Sealed at rest, never returned; null on PATCH removes them.',
  })
  @IsOptional() @IsObject()
  secret?: Record<string, unknown> | null;

  @ApiPropertyOptional({ enum: ON_DUPLICATE, default: 'skip' }) @IsAbsentOr() @IsIn(ON_DUPLICATE)
  onDuplicate?: OnDuplicate;

  @ApiPropertyOptional({ default: true, description: 'keep the good rows of a batch that also has bad ones' })
  @IsAbsentOr() @IsBoolean()
  partialBatches?: boolean;

  @ApiPropertyOptional({ enum: GATE_POLICIES, default: 'warn', description: 'whether a failing quality gate blocks the loop run' })
  @IsAbsentOr() @IsIn(GATE_POLICIES)
  gatePolicy?: GatePolicy;

  @ApiPropertyOptional({ type: QualityDto }) @IsAbsentOr() @IsObject() @ValidateNested() @Type(() => QualityDto)
  quality?: QualityDto;
}

/** Every field optional. The kind cannot change; once observations exist, neither can the row identity. */
export class UpdateSourceDto extends PartialType(CreateSourceDto, { skipNullProperties: false }) {}

export class BatchesQuery {
  @ApiPropertyOptional({ enum: BATCH_STATUSES }) @IsOptional() @IsIn(BATCH_STATUSES)
  status?: (typeof BATCH_STATUSES)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500)
  limit = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT_PARAM, default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(MAX_INT_PARAM)
  offset = 0;
}

export class QuarantineQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_INT_PARAM, description: "only rows older than this id: pass the previous page's nextBefore" })
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(MAX_INT_PARAM)
  before?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500)
  limit = 100;
}

class FieldSpecView {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: FIELD_TYPES }) type!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: Number }) min?: number;
  @ApiPropertyOptional({ type: Number }) max?: number;
  @ApiPropertyOptional({ type: [String] }) allowed?: string[];
  @ApiPropertyOptional({ enum: ['hash', 'mask'] }) personal?: string;
}

class SchemaView {
  @ApiProperty({ type: [FieldSpecView] }) fields!: FieldSpecView[];
  @ApiProperty({ type: [String] }) uniqueKey!: string[];
  @ApiProperty() timeField!: string;
  @ApiProperty({ type: [String] }) seriesKey!: string[];
  @ApiPropertyOptional() valueField?: string;
  @ApiProperty({ type: [String] }) dimensions!: string[];
}

export class SourceResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SOURCE_KINDS }) kind!: SourceKind;
  @ApiProperty({ type: SchemaView }) schema!: SchemaView;
  @ApiProperty({ type: 'object', additionalProperties: true }) config!: Record<string, unknown>;
  @ApiProperty({ description: 'credentials are stored (sealed); they are never returned' }) hasSecret!: boolean;
  @ApiProperty({ enum: ON_DUPLICATE }) onDuplicate!: OnDuplicate;
  @ApiProperty() partialBatches!: boolean;
  @ApiProperty({ enum: GATE_POLICIES }) gatePolicy!: GatePolicy;
  @ApiProperty({ type: QualityDto }) quality!: QualityDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class BatchResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'push, csv-upload, collect, ...' }) origin!: string;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer' }) rowsReceived!: number;
  @ApiProperty({ type: 'integer' }) rowsWritten!: number;
  @ApiProperty({ type: 'integer' }) rowsDuplicate!: number;
  @ApiProperty({ type: 'integer' }) rowsQuarantined!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the quality report of the batch' }) quality!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) runId!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
}

export class FreshnessDto {
  @ApiProperty({ nullable: true, type: 'integer', description: 'seconds since the newest observation timestamp' }) ageSeconds!: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) expectedCadenceSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'null when the source declares no cadence' }) fresh!: boolean | null;
}

export class SourceHealthResponseDto {
  @ApiProperty({ format: 'uuid' }) sourceId!: string;
  @ApiProperty() healthy!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastErrorAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ type: 'integer' }) consecutiveFailures!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) newestTs!: string | null;
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
  @ApiProperty({ type: 'integer' }) rowsTotal!: number;
  @ApiProperty({ type: 'integer' }) quarantinedTotal!: number;
  @ApiProperty({ type: BatchResponseDto, nullable: true }) lastBatch!: BatchResponseDto | null;
}

export class QuarantinedRowDto {
  @ApiProperty({ type: 'integer' }) id!: number;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ nullable: true, type: 'integer', description: '1-based input row' }) row!: number | null;
  @ApiProperty({ nullable: true, type: String }) field!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, oneOf: ANY_JSON, description: 'the input row; personal fields are shown as [personal]' }) raw!: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class QuarantinePageDto {
  @ApiProperty({ type: [QuarantinedRowDto] }) rows!: QuarantinedRowDto[];
  @ApiProperty({ nullable: true, type: 'integer', description: 'before= for the next page; null at the oldest row' }) nextBefore!: number | null;
}
