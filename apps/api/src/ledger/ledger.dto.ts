/** Query and response shapes of the ledger routes, and the mappers from domain objects to them. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MAX_INT_PARAM, ToInt } from '../common/params';
import { LEDGER_BREAKS, LEDGER_ENTRY_TYPES, LedgerBreak, LedgerEntry, LedgerEntryType, LedgerVerdict } from '@opsloop/domain';

export const LEDGER_PAGE_MAX = 500;
export const LEDGER_PAGE_DEFAULT = 100;

export class LedgerQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  loopId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  runId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  decisionId?: string;

  @ApiPropertyOptional({ enum: LEDGER_ENTRY_TYPES, description: 'config: changes to loops, sources, metric definitions and API keys, with who made them (and refused loosening attempts)' })
  @IsOptional() @IsIn(LEDGER_ENTRY_TYPES, { message: `type must be one of: ${LEDGER_ENTRY_TYPES.join(', ')}` })
  type?: LedgerEntryType;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT_PARAM, description: 'Only entries after this seq; pass the previous page\'s nextAfterSeq' })
  @IsOptional() @ToInt() @IsInt() @Min(0) @Max(MAX_INT_PARAM)
  afterSeq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: LEDGER_PAGE_MAX, default: LEDGER_PAGE_DEFAULT })
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(LEDGER_PAGE_MAX)
  limit: number = LEDGER_PAGE_DEFAULT;
}

export class LedgerEntryResponseDto {
  @ApiProperty({ type: 'integer' }) seq!: number;
  @ApiProperty({ description: 'Business key; one entry per key' }) entryKey!: string;
  @ApiProperty({ enum: LEDGER_ENTRY_TYPES }) type!: LedgerEntryType;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) loopId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) runId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) decisionId!: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) body!: Record<string, unknown>;
  @ApiProperty({ description: 'Hash of the previous entry (64 zeros for the first)' }) prevHash!: string;
  @ApiProperty({ description: 'SHA-256 over prevHash and this entry\'s canonical JSON' }) hash!: string;
}

export class LedgerPageResponseDto {
  @ApiProperty({ type: [LedgerEntryResponseDto] }) entries!: LedgerEntryResponseDto[];
  @ApiProperty({ nullable: true, type: 'integer', description: 'afterSeq for the next page; null when this page reached the end' })
  nextAfterSeq!: number | null;
}

export class LedgerRowRefDto {
  @ApiProperty({ type: 'integer' }) seq!: number;
  @ApiProperty({ nullable: true, type: String }) entryKey!: string | null;
  @ApiProperty({ nullable: true, type: String }) type!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionId!: string | null;
  @ApiProperty({ nullable: true, type: String }) runId!: string | null;
}

export class LedgerVerdictResponseDto {
  @ApiProperty({ description: 'True when every entry and the head fit the chain' }) ok!: boolean;
  @ApiProperty({ type: 'integer', description: 'Entries that fit, from the first' }) checked!: number;
  @ApiProperty({ description: 'One line for a person, naming the first broken entry' }) message!: string;
  @ApiProperty({ nullable: true, type: String }) lastHash!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: LEDGER_BREAKS }) reason!: LedgerBreak | null;
  @ApiProperty({ nullable: true, type: LedgerRowRefDto }) brokenAt!: LedgerRowRefDto | null;
}

export function toLedgerEntryResponse(e: LedgerEntry): LedgerEntryResponseDto {
  return {
    seq: e.seq,
    entryKey: e.entryKey,
    type: e.type,
    loopId: e.loopId,
    runId: e.runId,
    decisionId: e.decisionId,
    recordedAt: e.recordedAt,
    body: e.body,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export function toLedgerPageResponse(entries: LedgerEntry[], limit: number): LedgerPageResponseDto {
  const full = entries.length === limit;
  return { entries: entries.map(toLedgerEntryResponse), nextAfterSeq: full ? entries[entries.length - 1].seq : null };
}

export function toLedgerVerdictResponse(v: LedgerVerdict): LedgerVerdictResponseDto {
  if (v.ok) return { ok: true, checked: v.checked, message: v.message, lastHash: v.lastHash, reason: null, brokenAt: null };
  const b = v.brokenAt;
  return {
    ok: false,
    checked: v.checked,
    message: v.message,
    lastHash: null,
    reason: v.reason,
    brokenAt: { seq: b.seq, entryKey: b.entryKey, type: b.type, decisionId: b.decisionId, runId: b.runId },
  };
}
