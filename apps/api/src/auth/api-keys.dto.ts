import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ApiKey, Role, ROLES } from '@opsloop/domain';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'planner laptop', minLength: 1, maxLength: 100, description: 'unique among active keys' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}

export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'First characters of the key, for recognising it' }) keyPrefix!: string;
  @ApiProperty() isBootstrap!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'The secret. Shown once; only its hash is stored.' })
  key!: string;
}

export class WhoAmIResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export function toWhoAmIResponse(key: ApiKey): WhoAmIResponseDto {
  return { id: key.id, name: key.name, role: key.role };
}

export function toApiKeyResponse(key: ApiKey): ApiKeyResponseDto {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    keyPrefix: key.keyPrefix,
    isBootstrap: key.isBootstrap,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}
