import { Injectable, NotFoundException } from '@nestjs/common';
import { ApiKeyRepository } from '@opsloop/persistence';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, toApiKeyResponse } from './api-keys.dto';

@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeyRepository) {}

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const secret = generateApiKey();
    const key = await this.keys.create({
      name: dto.name,
      role: dto.role,
      keyHash: hashApiKey(secret),
      keyPrefix: displayPrefix(secret),
    });
    return { ...toApiKeyResponse(key), key: secret };
  }

  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(toApiKeyResponse);
  }

  async revoke(id: string): Promise<ApiKeyResponseDto> {
    const key = await this.keys.revoke(id);
    if (!key) throw new NotFoundException(`No API key with id ${id}`);
    return toApiKeyResponse(key);
  }

  /** Makes OPSLOOP_ADMIN_KEY a working admin key; run at every start. */
  async installBootstrapAdmin(secret: string): Promise<void> {
    await this.keys.setBootstrapAdmin(hashApiKey(secret), displayPrefix(secret));
  }
}
