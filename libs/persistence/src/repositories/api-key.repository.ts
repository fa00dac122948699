/** Port and TypeORM adapter for API keys. Callers pass hashes, never raw keys. */
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKey, isRole, Role } from '@opsloop/domain';
import { ApiKeyEntity } from '../entities/api-key.entity';

export interface NewApiKey {
  name: string;
  role: Role;
  keyHash: string;
  keyPrefix: string;
}

/** The name of the key OPSLOOP_ADMIN_KEY installs; no other key may take it. */
export const BOOTSTRAP_ADMIN_KEY_NAME = 'bootstrap admin (OPSLOOP_ADMIN_KEY)';

/** Active keys have unique names (revoked ones free theirs). */
export class ApiKeyNameTakenError extends Error {
  override readonly name = 'ApiKeyNameTakenError';
  constructor(readonly keyName: string) {
    super(`An active API key is already named "${keyName}"`);
  }
}

export abstract class ApiKeyRepository {
  abstract findActiveByHash(keyHash: string): Promise<ApiKey | null>;
  /** Throws ApiKeyNameTakenError when an active key has the name. */
  abstract create(key: NewApiKey, tx?: EntityManager): Promise<ApiKey>;
  abstract list(): Promise<ApiKey[]>;
  /** Any key, revoked or not; null when the id is unknown. `tx` locks the row until it ends. */
  abstract findById(id: string, tx?: EntityManager): Promise<ApiKey | null>;
  /** Returns the revoked key, or null when the id is unknown. Revoking twice keeps the first time. */
  abstract revoke(id: string, tx?: EntityManager): Promise<ApiKey | null>;
  /** Makes `keyHash` the one bootstrap admin key, replacing an earlier one. */
  abstract setBootstrapAdmin(keyHash: string, keyPrefix: string): Promise<void>;
}

function toDomain(row: ApiKeyEntity): ApiKey {
  if (!isRole(row.role)) throw new Error(`api_keys row ${row.id} has unknown role`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    keyPrefix: row.keyPrefix,
    isBootstrap: row.isBootstrap,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

@Injectable()
export class TypeOrmApiKeyRepository extends ApiKeyRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  private get repo() {
    return this.ds.getRepository(ApiKeyEntity);
  }

  async findActiveByHash(keyHash: string): Promise<ApiKey | null> {
    const row = await this.repo.findOneBy({ keyHash, revokedAt: IsNull() });
    return row ? toDomain(row) : null;
  }

  async create(key: NewApiKey, tx?: EntityManager): Promise<ApiKey> {
    // A taken name is an expected answer, not a failed statement (which would be logged).
    const rows: { id: string }[] = await (tx ?? this.ds.manager).query(
      `INSERT INTO api_keys (name, role, key_hash, key_prefix) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
      [key.name, key.role, key.keyHash, key.keyPrefix],
    );
    if (!rows[0]) throw new ApiKeyNameTakenError(key.name);
    return toDomain(await (tx ?? this.ds.manager).getRepository(ApiKeyEntity).findOneByOrFail({ id: rows[0].id }));
  }

  async list(): Promise<ApiKey[]> {
    return (await this.repo.find({ order: { createdAt: 'ASC' } })).map(toDomain);
  }

  async findById(id: string, tx?: EntityManager): Promise<ApiKey | null> {
    const repo = (tx ?? this.ds.manager).getRepository(ApiKeyEntity);
    const row = await repo.findOne({ where: { id }, ...(tx ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    return row ? toDomain(row) : null;
  }

  async revoke(id: string, tx?: EntityManager): Promise<ApiKey | null> {
    const repo = (tx ?? this.ds.manager).getRepository(ApiKeyEntity);
    await repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    const row = await repo.findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  async setBootstrapAdmin(keyHash: string, keyPrefix: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO api_keys (name, role, key_hash, key_prefix, is_bootstrap)
       VALUES ($3, 'admin', $1, $2, true)
       ON CONFLICT (is_bootstrap) WHERE is_bootstrap
       DO UPDATE SET key_hash = EXCLUDED.key_hash, key_prefix = EXCLUDED.key_prefix, revoked_at = NULL`,
      [keyHash, keyPrefix, BOOTSTRAP_ADMIN_KEY_NAME],
    );
  }
}
