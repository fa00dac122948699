/** Bodies for starting runs by hand and per event, and what both answer. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsString, Matches } from 'class-validator';
import { IsAbsentOr } from '../common/validation';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const KEY_MESSAGE = 'must be 1-128 letters, digits, dots, dashes, colons or underscores';

export class RunNowDto {
  @ApiPropertyOptional({ pattern: KEY.source, description: 'Caller-chosen id; sending it again returns the same run' })
  @IsAbsentOr() @IsString() @Matches(KEY, { message: `requestId ${KEY_MESSAGE}` })
  requestId?: string;

  @ApiPropertyOptional({ type: Object, description: "Validated against the kind's event schema" })
  @IsAbsentOr() @IsObject()
  payload?: Record<string, unknown>;
}

export class LoopEventDto {
  @ApiProperty({ pattern: KEY.source, description: 'The source system\'s event id; a repeated id starts no second run' })
  @IsString() @Matches(KEY, { message: `eventId ${KEY_MESSAGE}` })
  eventId!: string;

  @ApiProperty({ type: Object })
  @IsObject()
  payload!: Record<string, unknown>;
}

export class StartedRunDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'null when the worker has not opened the run yet' }) runId!: string | null;
  @ApiProperty({ description: 'true when this request id or event id had already started a run' }) duplicate!: boolean;
  @ApiProperty() temporalUiUrl!: string;
}
