/** The ingest batch report that a push and a collect answer with, as response shapes. */
import { ApiProperty } from '@nestjs/swagger';
import { QUALITY_CHECKS, QualityCheckName, RowProblem, SourceQualityReport } from '@opsloop/domain';
import type { BatchReport } from '@opsloop/persistence';

export class RowProblemDto {
  @ApiProperty({ type: 'integer', description: '1-based input row' }) row!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the field at fault; null when the row as a whole is' }) field!: string | null;
  @ApiProperty() reason!: string;
}

export class QualityCheckDto {
  @ApiProperty({ enum: QUALITY_CHECKS }) name!: QualityCheckName;
  @ApiProperty() ok!: boolean;
  @ApiProperty() message!: string;
}

export class QualityReportDto {
  @ApiProperty({ description: 'every check passed (outliers never fail)' }) ok!: boolean;
  @ApiProperty({ description: "the report fails and the source's gate policy is block: loop runs reading it stop" }) blocking!: boolean;
  @ApiProperty({ type: [QualityCheckDto] }) checks!: QualityCheckDto[];
}

export class BatchReportDto implements BatchReport {
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ enum: ['accepted', 'partial', 'rejected', 'failed'] }) status!: BatchReport['status'];
  @ApiProperty({ type: 'integer' }) rowsReceived!: number;
  @ApiProperty({ type: 'integer' }) rowsWritten!: number;
  @ApiProperty({ type: 'integer' }) rowsDuplicate!: number;
  @ApiProperty({ type: 'integer' }) rowsQuarantined!: number;
  @ApiProperty({ type: [RowProblemDto], description: 'the first 100 row problems, in input order' }) problems!: RowProblem[];
  @ApiProperty({ type: QualityReportDto }) quality!: SourceQualityReport;
}
