import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { ROUND_TRIP_MESSAGE_MAX, RoundTripRecord } from '@opsloop/domain';

export class StartRoundTripDto {
  @ApiProperty({ description: 'Caller-chosen id; resending it is harmless', format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ maxLength: ROUND_TRIP_MESSAGE_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(ROUND_TRIP_MESSAGE_MAX)
  message!: string;
}

export class RoundTripResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() message!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() recordedAt!: string;
}

export function toRoundTripResponse(r: RoundTripRecord): RoundTripResponseDto {
  return { id: r.id, message: r.message, workflowId: r.workflowId, recordedAt: r.recordedAt };
}
