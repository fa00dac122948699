/** Shapes of the alert-feedback routes (labels, precision) and the mappers from stored records. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsAbsentOr } from '../common/validation';
import { AlertLabel, ALERT_LABELS, AlertLabelValue, LabelCounts } from '@opsloop/persistence';

export class LabelBodyDto {
  @ApiProperty({ enum: ALERT_LABELS, description: 'expected: the alert was right but the cause was known (maintenance, a sale); it counts for neither side of precision' })
  @IsIn(ALERT_LABELS, { message: `label must be one of: ${ALERT_LABELS.join(', ')}` })
  label!: AlertLabelValue;

  @ApiPropertyOptional({ description: 'why; kept in the ledger', minLength: 1, maxLength: 1000 })
  @IsAbsentOr() @IsString() @Length(1, 1000)
  note?: string;
}

export class AlertLabelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ format: 'uuid' }) loopId!: string;
  @ApiProperty({ enum: ALERT_LABELS }) label!: AlertLabelValue;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'uuid', description: 'Id of the API key that labelled' }) labelledBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedAlertLabelDto extends AlertLabelDto {
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The label this one replaces for precision (it is kept)' }) replaces!: string | null;
  @ApiProperty({ description: 'Key of the ledger entry that records this label' }) ledgerEntryKey!: string;
  @ApiProperty({ type: 'integer' }) ledgerSeq!: number;
}

export class PrecisionCountsDto {
  @ApiProperty({ type: 'integer', description: 'Alerts whose newest label counts here' }) labeled!: number;
  @ApiProperty({ type: 'integer' }) truePositive!: number;
  @ApiProperty({ type: 'integer' }) falsePositive!: number;
  @ApiProperty({ type: 'integer' }) expected!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'truePositive / (truePositive + falsePositive)' }) precision!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why precision is null' }) reason!: string | null;
}

export class VersionPrecisionDto extends PrecisionCountsDto {
  @ApiProperty() policyVersion!: string;
  @ApiProperty({ type: 'integer' }) paramsVersion!: number;
}

export class AlertPrecisionDto extends PrecisionCountsDto {
  @ApiProperty({ format: 'uuid' }) loopId!: string;
  @ApiProperty({ type: [VersionPrecisionDto], description: 'The same figures per policy version and params version of the runs that raised the alerts' })
  byVersion!: VersionPrecisionDto[];
}

export function toAlertLabelDto(l: AlertLabel): AlertLabelDto {
  return { id: l.id, decisionId: l.decisionId, loopId: l.loopId, label: l.label, note: l.note, labelledBy: l.labelledBy, createdAt: l.createdAt };
}

/** Precision over true and false positives; "expected" alerts are counted but left out of it. */
export function precisionOf(c: Omit<LabelCounts, 'policyVersion' | 'paramsVersion'>): PrecisionCountsDto {
  const labeled = c.truePositive + c.falsePositive + c.expected;
  const judged = c.truePositive + c.falsePositive;
  const reason = labeled === 0 ? 'no alert has been labelled yet' : judged === 0 ? 'every labelled alert is labelled expected; precision needs true or false positives' : null;
  return { labeled, truePositive: c.truePositive, falsePositive: c.falsePositive, expected: c.expected, precision: judged === 0 ? null : c.truePositive / judged, reason };
}

export function toAlertPrecisionDto(loopId: string, counts: LabelCounts[]): AlertPrecisionDto {
  const sum = (f: (c: LabelCounts) => number) => counts.reduce((s, c) => s + f(c), 0);
  const total = precisionOf({ truePositive: sum((c) => c.truePositive), falsePositive: sum((c) => c.falsePositive), expected: sum((c) => c.expected) });
  return {
    loopId,
    ...total,
    byVersion: counts.map((c) => ({ policyVersion: c.policyVersion, paramsVersion: c.paramsVersion, ...precisionOf(c) })),
  };
}
