/** Routes over API keys: who am I (any key), and create, list and revoke keys (admin). */
import { Body, Controller, Delete, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKey } from '@opsloop/domain';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { Actor } from './actor.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, toWhoAmIResponse, WhoAmIResponseDto } from './api-keys.dto';
import { MinRole } from './roles.decorator';
import type { AuthenticatedRequest } from './api-key.guard';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get('me') @MinRole('viewer') @Responds(200, WhoAmIResponseDto)
  whoAmI(@Req() req: AuthenticatedRequest): WhoAmIResponseDto {
    return toWhoAmIResponse(req.apiKey!);
  }

  @Post('api-keys') @MinRole('admin')
  @Responds(201, CreatedApiKeyResponseDto, 400, { status: 409, description: 'An active key already has this name' }, 413)
  create(@Body() dto: CreateApiKeyDto, @Actor() actor: ApiKey): Promise<CreatedApiKeyResponseDto> {
    return this.apiKeys.create(dto, actor);
  }

  @Get('api-keys') @MinRole('admin') @Responds(200, [ApiKeyResponseDto])
  list(): Promise<ApiKeyResponseDto[]> {
    return this.apiKeys.list();
  }

  @Delete('api-keys/:id') @MinRole('admin') @Responds(200, ApiKeyResponseDto, 400, 404)
  revoke(@UuidParam() id: string, @Actor() actor: ApiKey): Promise<ApiKeyResponseDto> {
    return this.apiKeys.revoke(id, actor);
  }
}
