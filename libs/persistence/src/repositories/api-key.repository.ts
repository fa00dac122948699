/** Port and TypeORM adapter for API keys. Callers pass hashes, never raw keys. */
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey, isRole, Role } from '@opsloop/domain';
import { ApiKeyEntity } from '../entities/api-key.entity';

export interface NewApiKey {
  name: string;
  role: Role;
  keyHash: string;
  keyPrefix: string;
}

export abstract class ApiKeyRepository {
  abstract findActiveByHash(keyHash: string): Promise<ApiKey | null>;
  abstract create(key: NewApiKey): Promise<ApiKey>;
  abstract list(): Promise<ApiKey[]>;
  /** Returns the revoked key, or null when the id is unknown. Revoking twice keeps the first time. */
  abstract revoke(id: string): Promise<ApiKey | null>;
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

  async create(key: NewApiKey): Promise<ApiKey> {
    const row = await this.repo.save(this.repo.create({ ...key, isBootstrap: false, revokedAt: null }));
    return toDomain(row);
  }

  async list(): Promise<ApiKey[]> {
    return (await this.repo.find({ order: { createdAt: 'ASC' } })).map(toDomain);
  }

  async revoke(id: string): Promise<ApiKey | null> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    const row = await this.repo.findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  async setBootstrapAdmin(keyHash: string, keyPrefix: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO api_keys (name, role, key_hash, key_prefix, is_bootstrap)
       VALUES ('bootstrap admin (OPSLOOP_ADMIN_KEY)', 'admin', $1, $2, true)
       ON CONFLICT (is_bootstrap) WHERE is_bootstrap
       DO UPDATE SET key_hash = EXCLUDED.key_hash, key_prefix = EXCLUDED.key_prefix, revoked_at = NULL`,
      [keyHash, keyPrefix],
    );
  }
}
