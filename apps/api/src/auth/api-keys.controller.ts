import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, WhoAmIResponseDto } from './api-keys.dto';
import { MinRole } from './roles.decorator';
import type { AuthenticatedRequest } from './api-key.guard';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get('me') @MinRole('viewer')
  whoAmI(@Req() req: AuthenticatedRequest): WhoAmIResponseDto {
    return { id: req.apiKey!.id, name: req.apiKey!.name, role: req.apiKey!.role };
  }

  @Post('api-keys') @MinRole('admin')
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    return this.apiKeys.create(dto);
  }

  @Get('api-keys') @MinRole('admin')
  list(): Promise<ApiKeyResponseDto[]> {
    return this.apiKeys.list();
  }

  @Delete('api-keys/:id') @MinRole('admin')
  revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyResponseDto> {
    return this.apiKeys.revoke(id);
  }
}
