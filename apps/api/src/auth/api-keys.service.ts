/**
 * Creates, lists and revokes API keys; the secret is shown once and only its hash is stored.
 * Creating and revoking are recorded in the ledger with the admin who did it (name and role only).
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiKey, ApiKeySnapshot, apiKeySnapshot, ConfigAction, ConfigChangeFacts } from '@opsloop/domain';
import { ApiKeyNameTakenError, ApiKeyRepository, BOOTSTRAP_ADMIN_KEY_NAME } from '@opsloop/persistence';
import { ConfigAudit } from '../audit/config-audit';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, toApiKeyResponse } from './api-keys.dto';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: ConfigAudit,
  ) {}

  async create(dto: CreateApiKeyDto, actor: ApiKey): Promise<CreatedApiKeyResponseDto> {
    // Reserved even while the bootstrap key is revoked: the next start makes it active again.
    if (dto.name === BOOTSTRAP_ADMIN_KEY_NAME) throw nameTaken(dto.name);
    const secret = generateApiKey();
    const key = await this.audit.change(actor, async (tx) => {
      const made = await this.keys.create({ name: dto.name, role: dto.role, keyHash: hashApiKey(secret), keyPrefix: displayPrefix(secret) }, tx);
      return { result: made, facts: keyFacts('create', undefined, made) };
    }).catch((err: unknown) => {
      if (err instanceof ApiKeyNameTakenError) throw nameTaken(err.keyName);
      throw err;
    });
    return { ...toApiKeyResponse(key), key: secret };
  }

  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(toApiKeyResponse);
  }

  /** Revoking a revoked key answers it as it is and records nothing (nothing changed). */
  async revoke(id: string, actor: ApiKey): Promise<ApiKeyResponseDto> {
    const key = await this.audit.change(actor, async (tx) => {
      const before = await this.keys.findById(id, tx);
      if (!before) throw new NotFoundException(`No API key with id ${id}`);
      const after = (await this.keys.revoke(id, tx))!;
      return { result: after, facts: keyFacts('revoke', before, after) };
    });
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

function keyFacts(action: ConfigAction, before: ApiKey | undefined, after: ApiKey): ConfigChangeFacts<ApiKeySnapshot> {
  return { subject: 'api-key', subjectId: after.id, subjectName: after.name, action, before: before && apiKeySnapshot(before), after: apiKeySnapshot(after) };
}
