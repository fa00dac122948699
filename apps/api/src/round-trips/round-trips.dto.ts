import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { ROUND_TRIP_MESSAGE_MAX, RoundTripRecord } from '@opsloop/domain';

export class StartRoundTripDto {
  @ApiProperty({ description: 'Caller-chosen id; resending it with the same message is harmless', format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ minLength: 1, maxLength: ROUND_TRIP_MESSAGE_MAX, pattern: '\\S', description: 'not only whitespace' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(ROUND_TRIP_MESSAGE_MAX)
  message!: string;
}

export class RoundTripResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() message!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export function toRoundTripResponse(r: RoundTripRecord): RoundTripResponseDto {
  return { id: r.id, message: r.message, workflowId: r.workflowId, recordedAt: r.recordedAt };
}
