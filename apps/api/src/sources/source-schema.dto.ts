/**
 * The typed schema a source declares, as request DTOs. Shape checks live here; checks that relate
 * one part of the schema to another (references, types of the time/value fields) are in
 * source-definition-check.ts.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNumber, IsString, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { IsAbsentOr } from '../common/validation';
import { FIELD_TYPES, FieldSpec, FieldType, PERSONAL_TREATMENTS, PersonalTreatment, SourceSchema } from '@opsloop/domain';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
/** Field names become JSON keys, CSV headers and dims keys; keep them plain identifiers. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const FIELD_NAME_MESSAGE = '$property must be an identifier: a letter or _ then letters, digits or _ (at most 63)';
const MAX_FIELDS = 200;

// Optional, but never null: a null would be stored as a JSON null where a value or a default belongs.
export { IsAbsentOr };

export class FieldSpecDto {
  @ApiProperty({ example: 'sku', pattern: FIELD_NAME.source }) @IsString() @Matches(FIELD_NAME, { message: FIELD_NAME_MESSAGE })
  name!: string;

  @ApiProperty({ enum: FIELD_TYPES }) @IsIn(FIELD_TYPES, { message: `type must be one of: ${FIELD_TYPES.join(', ')}` })
  type!: FieldType;

  @ApiPropertyOptional({ default: false }) @IsAbsentOr() @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ type: Number, description: 'inclusive lower bound (number and integer fields)' }) @IsAbsentOr() @IsNumber(FINITE)
  min?: number;

  @ApiPropertyOptional({ type: Number, description: 'inclusive upper bound (number and integer fields)' }) @IsAbsentOr() @IsNumber(FINITE)
  max?: number;

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: 1000, maxLength: 500, description: 'closed list of values (string fields)' })
  @IsAbsentOr() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(500, { each: true })
  allowed?: string[];

  @ApiPropertyOptional({ enum: PERSONAL_TREATMENTS, description: 'personal data: stored as a keyed hash or masked, never raw' })
  @IsAbsentOr() @IsIn(PERSONAL_TREATMENTS, { message: `personal must be one of: ${PERSONAL_TREATMENTS.join(', ')}` })
  personal?: PersonalTreatment;
}

export class SourceSchemaDto {
  @ApiProperty({ type: [FieldSpecDto], minItems: 1, maxItems: MAX_FIELDS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_FIELDS) @ValidateNested({ each: true }) @Type(() => FieldSpecDto)
  fields!: FieldSpecDto[];

  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_FIELDS, example: ['sku', 'location', 'day'], description: 'fields whose values identify a row' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_FIELDS) @IsString({ each: true })
  uniqueKey!: string[];

  @ApiProperty({ example: 'day', description: 'the timestamp field of each observation' }) @IsString()
  timeField!: string;

  @ApiProperty({ type: [String], maxItems: MAX_FIELDS, example: ['sku', 'location'], description: 'fields joined with | into the series key' })
  @IsArray() @ArrayMaxSize(MAX_FIELDS) @IsString({ each: true })
  seriesKey!: string[];

  @ApiPropertyOptional({ example: 'units', description: 'the numeric field stored as the value' }) @IsAbsentOr() @IsString()
  valueField?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_FIELDS, default: [], description: 'fields copied into dims for filtering and group-by' })
  @IsAbsentOr() @IsArray() @ArrayMaxSize(MAX_FIELDS) @IsString({ each: true })
  dimensions?: string[];
}

export function toSourceSchema(dto: SourceSchemaDto): SourceSchema {
  return {
    fields: dto.fields.map(toFieldSpec),
    uniqueKey: dto.uniqueKey,
    timeField: dto.timeField,
    seriesKey: dto.seriesKey,
    ...(dto.valueField !== undefined ? { valueField: dto.valueField } : {}),
    dimensions: dto.dimensions ?? [],
  };
}

/** Only the keys a field declares, so stored schemas stay small and compare cleanly. */
function toFieldSpec(dto: FieldSpecDto): FieldSpec {
  const spec: FieldSpec = { name: dto.name, type: dto.type, required: dto.required ?? false };
  if (dto.min !== undefined) spec.min = dto.min;
  if (dto.max !== undefined) spec.max = dto.max;
  if (dto.allowed !== undefined) spec.allowed = dto.allowed;
  if (dto.personal !== undefined) spec.personal = dto.personal;
  return spec;
}
