/** Request and response shapes of a bulk verdict on a run's waiting decisions. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { APPROVAL_VERDICTS, ApprovalVerdict } from '@opsloop/domain';
import { ApprovalBodyDto } from './runs.dto';

/** Enough for the largest runs measured (10,000 items) in one request. */
export const BULK_FILTER_MAX_ITEMS = 10_000;
const FINITE = { allowNaN: false, allowInfinity: false };

export class BulkApprovalFilterDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: BULK_FILTER_MAX_ITEMS, description: 'only these decisions; each one is accounted for in the answer' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(BULK_FILTER_MAX_ITEMS) @IsUUID('all', { each: true })
  decisionIds?: string[];

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: BULK_FILTER_MAX_ITEMS, minLength: 1, maxLength: 2000, description: 'only decisions about these subjects (item, sku@location, series), exactly' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(BULK_FILTER_MAX_ITEMS) @IsString({ each: true }) @Length(1, 2000, { each: true })
  subjects?: string[];

  @ApiPropertyOptional({ description: 'only decisions whose magnitude is greater than this' }) @IsOptional() @IsNumber(FINITE)
  magnitudeAbove?: number;

  @ApiPropertyOptional({ description: 'only decisions whose magnitude is less than this' }) @IsOptional() @IsNumber(FINITE)
  magnitudeBelow?: number;
}

export class BulkApprovalBodyDto extends ApprovalBodyDto {
  @ApiPropertyOptional({ type: BulkApprovalFilterDto, description: 'all criteria given must hold; without a filter, every decision of the run that waits' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BulkApprovalFilterDto)
  filter?: BulkApprovalFilterDto;
}

export class BulkApprovalSkipDto {
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for an id that is no decision of the run' }) subject!: string | null;
  @ApiProperty({ example: 'Decision … was already approved by ops (key …, operator) at …' }) reason!: string;
}

export class BulkApprovalResultDto {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the id the run was sent; null when nothing could be decided' }) batchId!: string | null;
  @ApiProperty({ enum: APPROVAL_VERDICTS }) verdict!: ApprovalVerdict;
  @ApiProperty({ type: 'integer', description: 'decisions approved by this request' }) approved!: number;
  @ApiProperty({ type: 'integer', description: 'decisions rejected by this request' }) rejected!: number;
  @ApiProperty({ type: 'integer', description: 'decisions the filter matched that were not decided; `skips` says why' }) skipped!: number;
  @ApiProperty({ type: [BulkApprovalSkipDto] }) skips!: BulkApprovalSkipDto[];
}
