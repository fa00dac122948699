/**
 * Request shapes of /api/v1/metrics: definition bodies, the values query (with `dims[x]=y`
 * filters, parsed by a pipe because their names are open), and the mappers to domain input.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PipeTransform } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min,
  ValidateIf, ValidateNested, validateSync,
} from 'class-validator';
import {
  METRIC_AGGREGATIONS, METRIC_COMPARISONS, METRIC_FILTER_OPS, METRIC_GRAINS, METRIC_KEY_MAX, METRIC_KEY_PATTERN, METRIC_THRESHOLD_DIRECTIONS,
  MetricAggregation, MetricAggregationType, MetricComparison, MetricDefinitionInput, MetricFilterOp, MetricFilterValue, MetricGrain,
  MetricThresholdDirection, MetricValuesQuery,
} from '@opsloop/domain';
import { IsInstant, ToInt } from '../common/params';
import { FieldError, fieldErrorsException, flattenValidationErrors, IsAbsentOr } from '../common/validation';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const FILTER_SCALARS = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];
const SLUG = { message: `must be a metric key: lowercase letters and digits joined by - _ or . (at most ${METRIC_KEY_MAX} characters)` };
/** Validate a property when the aggregation type needs it, or when it was sent anyway. */
const isType = (...types: MetricAggregationType[]) => (o: AggregationDto, given?: keyof AggregationDto) => types.includes(o.type) || (given !== undefined && o[given] !== undefined);

export class AggregationDto {
  @ApiProperty({ enum: METRIC_AGGREGATIONS }) @IsIn(METRIC_AGGREGATIONS)
  type!: MetricAggregationType;

  @ApiPropertyOptional({ minLength: 1, description: 'distinct-count: the field counted (required); percentile: the numeric field ranked (default: measure)' })
  @ValidateIf((o: AggregationDto) => isType('distinct-count')(o, 'field')) @IsString() @IsNotEmpty()
  field?: string;

  @ApiPropertyOptional({ description: 'percentile: the rank, between 0 and 1 (exclusive)', example: 0.9 })
  @ValidateIf((o: AggregationDto) => isType('percentile')(o, 'p')) @IsNumber(FINITE)
  p?: number;

  @ApiPropertyOptional({ pattern: METRIC_KEY_PATTERN.source, description: 'ratio: key of the numerator metric' })
  @ValidateIf((o: AggregationDto) => isType('ratio')(o, 'numerator')) @Matches(METRIC_KEY_PATTERN, SLUG)
  numerator?: string;

  @ApiPropertyOptional({ pattern: METRIC_KEY_PATTERN.source, description: 'ratio: key of the denominator metric' })
  @ValidateIf((o: AggregationDto) => isType('ratio')(o, 'denominator')) @Matches(METRIC_KEY_PATTERN, SLUG)
  denominator?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'ratio: pinned numerator version (default: newest)' }) @IsAbsentOr() @IsInt() @Min(1)
  numeratorVersion?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'ratio: pinned denominator version (default: newest)' }) @IsAbsentOr() @IsInt() @Min(1)
  denominatorVersion?: number;
}

export class FilterDto {
  @ApiProperty({ minLength: 1, description: 'a field of the source schema' }) @IsString() @IsNotEmpty()
  field!: string;

  @ApiProperty({ enum: METRIC_FILTER_OPS }) @IsIn(METRIC_FILTER_OPS)
  op!: MetricFilterOp;

  @ApiProperty({ description: 'typed like the field; a list for "in"', oneOf: [...FILTER_SCALARS, { type: 'array', items: { oneOf: FILTER_SCALARS } }] })
  @IsDefined()
  value!: MetricFilterValue | MetricFilterValue[];
}

export class ThresholdsDto {
  @ApiPropertyOptional() @IsAbsentOr() @IsNumber(FINITE) warn?: number;
  @ApiPropertyOptional() @IsAbsentOr() @IsNumber(FINITE) critical?: number;
  @ApiProperty({ enum: METRIC_THRESHOLD_DIRECTIONS }) @IsIn(METRIC_THRESHOLD_DIRECTIONS) direction!: MetricThresholdDirection;
}

/** A full definition without its key: the body of a new version. */
export class MetricBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsAbsentOr() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'team or person answerable for the number' }) @IsString() @Length(1, 200) owner!: string;
  @ApiProperty({ minLength: 1, maxLength: 50, example: 'EUR' }) @IsString() @Length(1, 50) unit!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'source id (not for ratio)' }) @IsAbsentOr() @IsUUID()
  source?: string;

  @ApiPropertyOptional({ minLength: 1, description: "numeric schema field; default: the source's valueField" }) @IsAbsentOr() @IsString() @IsNotEmpty()
  measure?: string;

  @ApiProperty({ type: AggregationDto }) @IsObject() @ValidateNested() @Type(() => AggregationDto)
  aggregation!: AggregationDto;

  @ApiPropertyOptional({ type: [FilterDto], maxItems: 50 }) @IsAbsentOr() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => FilterDto)
  filter?: FilterDto[];

  @ApiProperty({ enum: METRIC_GRAINS }) @IsIn(METRIC_GRAINS) grain!: MetricGrain;

  @ApiPropertyOptional({ type: [String], description: "subset of the source schema's dimensions" })
  @IsAbsentOr() @IsArray() @IsString({ each: true })
  dimensions?: string[];

  @ApiPropertyOptional() @IsAbsentOr() @IsNumber(FINITE) target?: number;

  @ApiPropertyOptional({ type: ThresholdsDto }) @IsAbsentOr() @ValidateNested() @Type(() => ThresholdsDto)
  thresholds?: ThresholdsDto;
}

export class CreateMetricDto extends MetricBodyDto {
  @ApiProperty({ example: 'daily-revenue', pattern: METRIC_KEY_PATTERN.source, maxLength: METRIC_KEY_MAX }) @IsString() @MaxLength(METRIC_KEY_MAX) @Matches(METRIC_KEY_PATTERN, SLUG)
  key!: string;
}

export class NewMetricVersionDto extends MetricBodyDto {
  @ApiPropertyOptional({ description: 'if given, must equal the key in the path' }) @IsAbsentOr() @IsString()
  key?: string;
}

/** Fields that belong to another aggregation type are refused, not silently dropped. */
const AGGREGATION_FIELDS: Record<MetricAggregationType, (keyof AggregationDto)[]> = {
  sum: [], count: [], avg: [], min: [], max: [],
  'distinct-count': ['field'],
  percentile: ['p', 'field'],
  ratio: ['numerator', 'denominator', 'numeratorVersion', 'denominatorVersion'],
};

export function toMetricInput(key: string, dto: MetricBodyDto): { input: MetricDefinitionInput; errors: FieldError[] } {
  const a = dto.aggregation;
  const extra = (['field', 'p', 'numerator', 'denominator', 'numeratorVersion', 'denominatorVersion'] as const)
    .filter((f) => a[f] !== undefined && !AGGREGATION_FIELDS[a.type].includes(f));
  const errors = extra.map((f) => ({ field: `aggregation.${f}`, messages: [`aggregation.${f} does not apply to a ${a.type} metric`] }));
  const aggregation = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as MetricAggregation;
  const input: MetricDefinitionInput = {
    key, name: dto.name, description: dto.description, owner: dto.owner, unit: dto.unit, source: dto.source, measure: dto.measure, aggregation,
    filter: dto.filter?.map((f) => ({ field: f.field, op: f.op, value: f.value })), grain: dto.grain, dimensions: dto.dimensions,
    target: dto.target, thresholds: dto.thresholds && { warn: dto.thresholds.warn, critical: dto.thresholds.critical, direction: dto.thresholds.direction },
  };
  return { input: stripUndefined(input), errors };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class MetricValuesQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'first instant (ISO 8601); widened to its bucket start. Default: 100 buckets before to' })
  @IsOptional() @IsInstant() from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'end instant, exclusive (ISO 8601); the bucket holding it is read. Default: now' })
  @IsOptional() @IsInstant() to?: string;

  @ApiPropertyOptional({ description: 'comma-separated dimensions; none gives totals', example: 'region,store' })
  @IsOptional() @IsString() groupBy?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'definition in force and data ingested at or before this instant' })
  @IsOptional() @IsInstant() asOf?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, description: 'definition version (default: newest, or the one in force at asOf)' })
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(1_000_000) version?: number;

  // Documented by the route (@ApiQuery): exploded from this class, its enum would be lost.
  @IsOptional() @IsIn(METRIC_COMPARISONS) compare?: MetricComparison;
}

// Any name, even empty or holding a `]`, is read as a dimension (then unknown), not as a stray parameter.
const DIMS_PARAM = /^dims\[(.*)\]$/;

/**
 * `dims[region]=north` filters by a dimension. The names are open, so the whitelist of the
 * global pipe cannot know them: this pipe takes them out, then validates the rest as a DTO.
 */
export class MetricValuesQueryPipe implements PipeTransform<Record<string, unknown>, MetricValuesQuery> {
  transform(raw: Record<string, unknown>): MetricValuesQuery {
    const dims: Record<string, string> = {};
    const rest: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(raw ?? {})) {
      const dim = DIMS_PARAM.exec(name)?.[1];
      if (dim === undefined) rest[name] = value;
      else if (typeof value === 'string') dims[dim] = value;
      else errors.push({ field: name, messages: [`${name} must be given once, as text`] });
    }
    const dto = plainToInstance(MetricValuesQueryDto, rest);
    errors.push(...flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })));
    if (errors.length > 0) throw fieldErrorsException(errors);
    const groupBy = (dto.groupBy ?? '').split(',').map((d) => d.trim()).filter((d) => d.length > 0);
    return { from: dto.from, to: dto.to, asOf: dto.asOf, version: dto.version, compare: dto.compare, groupBy, dims };
  }
}
