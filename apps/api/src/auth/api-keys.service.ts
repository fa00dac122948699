/** Creates, lists and revokes API keys; the secret is shown once and only its hash is stored. */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiKeyNameTakenError, ApiKeyRepository, BOOTSTRAP_ADMIN_KEY_NAME } from '@opsloop/persistence';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, toApiKeyResponse } from './api-keys.dto';

@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeyRepository) {}

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    // Reserved even while the bootstrap key is revoked: the next start makes it active again.
    if (dto.name === BOOTSTRAP_ADMIN_KEY_NAME) throw nameTaken(dto.name);
    const secret = generateApiKey();
    const key = await this.keys.create({
      name: dto.name,
      role: dto.role,
      keyHash: hashApiKey(secret),
      keyPrefix: displayPrefix(secret),
    }).catch((err: unknown) => {
      if (err instanceof ApiKeyNameTakenError) throw nameTaken(err.keyName);
      throw err;
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

function nameTaken(name: string): ConflictException {
  return new ConflictException({
    statusCode: 409, error: 'Conflict', message: `An active API key is already named "${name}"`,
    errors: [{ field: 'name', messages: ['name is taken by an active API key; choose another name or revoke that key first'] }],
  });
}
