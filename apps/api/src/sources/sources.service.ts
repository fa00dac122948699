/**
 * Source definition use cases: check, seal the credentials, store, and record the change with its
 * actor in the ledger in the same transaction. Plaintext credentials live only for the length of
 * one request and are never logged, returned or recorded (the ledger says only that they changed).
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SecretBox } from '@opsloop/config';
import { ApiKey, ConfigAction, ConfigChangeFacts, SourceDefinition, SourceSchema, SourceSnapshot, sourceSnapshot } from '@opsloop/domain';
import { NewSource, SourceChanges, SourceNameTakenError, SourceRepository } from '@opsloop/persistence';
import { ConfigAudit } from '../audit/config-audit';
import { fieldErrorsException } from '../common/validation';
import { identityChanges, SourceDefinitionCheck } from './source-definition-check';
import { toSourceSchema } from './source-schema.dto';
import { toSourceResponse } from './source-views';
import { CreateSourceDto, SourceResponseDto, UpdateSourceDto } from './sources.dto';

@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly check: SourceDefinitionCheck,
    private readonly box: SecretBox,
    private readonly audit: ConfigAudit,
  ) {}

  async create(dto: CreateSourceDto, actor: ApiKey): Promise<SourceResponseDto> {
    const source: Omit<NewSource, 'secretSealed'> = {
      name: dto.name, kind: dto.kind, schema: toSourceSchema(dto.schema), config: dto.config ?? {},
      onDuplicate: dto.onDuplicate ?? 'skip', partialBatches: dto.partialBatches ?? true, gatePolicy: dto.gatePolicy ?? 'warn',
      quality: { ...dto.quality },
    };
    this.assertValid({ ...source, secret: dto.secret ?? undefined, hasStoredSecret: false });
    const created = await this.named(() => this.audit.change(actor, async (tx) => {
      const made = await this.sources.create({ ...source, secretSealed: this.sealed(dto.secret) ?? null }, tx);
      return { result: made, facts: sourceFacts('create', undefined, made, secretState(made, dto.secret)) };
    }));
    return toSourceResponse(created);
  }

  async list(): Promise<SourceResponseDto[]> {
    return (await this.sources.list()).map(toSourceResponse);
  }

  async get(id: string): Promise<SourceResponseDto> {
    return toSourceResponse(await this.existing(id));
  }

  async update(id: string, dto: UpdateSourceDto, actor: ApiKey): Promise<SourceResponseDto> {
    const current = await this.existing(id);
    if (dto.kind !== undefined && dto.kind !== current.kind) {
      throw fieldErrorsException([{ field: 'kind', messages: ['kind cannot change; create a new source instead'] }]);
    }
    const changes = toChanges(dto);
    const schema = changes.schema ?? current.schema;
    this.assertValid({
      kind: current.kind, schema, config: changes.config ?? current.config, secret: dto.secret, hasStoredSecret: current.hasSecret,
    });
    if (changes.schema) await this.assertIdentityKept(current, changes.schema);
    const updated = await this.named(() => this.audit.change(actor, async (tx) => {
      const before = await this.locked(id, tx);
      const after = await this.sources.update(id, { ...changes, secretSealed: this.sealed(dto.secret) }, tx);
      if (!after) throw new NotFoundException(`No source with id ${id}`);
      return { result: after, facts: sourceFacts('update', before, after, secretState(after, dto.secret)) };
    }));
    return toSourceResponse(updated);
  }

  async remove(id: string, actor: ApiKey): Promise<void> {
    await this.audit.change(actor, async (tx) => {
      const before = await this.locked(id, tx);
      await this.sources.softDelete(id, tx);
      return { result: undefined, facts: sourceFacts('delete', before, before, secretState(before, undefined), true) };
    });
  }

  private async locked(id: string, tx: EntityManager): Promise<SourceDefinition> {
    const source = await this.sources.get(id, tx);
    if (!source) throw new NotFoundException(`No source with id ${id}`);
    return source;
  }

  async existing(id: string): Promise<SourceDefinition> {
    const source = await this.sources.get(id);
    if (!source) throw new NotFoundException(`No source with id ${id}`);
    return source;
  }

  private assertValid(d: Parameters<SourceDefinitionCheck['check']>[0]): void {
    const errors = this.check.check(d);
    if (errors.length > 0) throw fieldErrorsException(errors);
  }

  /** Stored rows are keyed by uniqueKey and grouped by seriesKey and time: changing those would split history. */
  private async assertIdentityKept(current: SourceDefinition, next: SourceSchema): Promise<void> {
    const changed = identityChanges(current.schema, next);
    if (changed.length === 0 || !(await this.sources.hasObservations(current.id))) return;
    throw new ConflictException(
      `Source ${current.id} already has observations, so schema.${changed.join(', schema.')} cannot change ` +
      '(stored rows are keyed and grouped by them); create a new source for the new layout',
    );
  }

  /** undefined: leave as is; null: remove; an object: seal its JSON. */
  private sealed(secret: Record<string, unknown> | null | undefined): string | null | undefined {
    if (secret === undefined || secret === null) return secret;
    return this.box.seal(JSON.stringify(secret));
  }

  private async named<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof SourceNameTakenError) throw new ConflictException(`${err.message}; pick another name`);
      throw err;
    }
  }
}

/** What the ledger may say about the credentials after a change: none, the stored ones, or new ones. */
function secretState(after: SourceDefinition, given: Record<string, unknown> | null | undefined): 'stored' | 'replaced' | null {
  if (!after.hasSecret) return null;
  return given ? 'replaced' : 'stored';
}

function sourceFacts(
  action: ConfigAction, before: SourceDefinition | undefined, after: SourceDefinition, secret: 'stored' | 'replaced' | null, deleted = false,
): ConfigChangeFacts<SourceSnapshot> {
  return {
    subject: 'source', subjectId: after.id, subjectName: after.name, action,
    before: before && sourceSnapshot(before, before.hasSecret ? 'stored' : null), after: sourceSnapshot(after, secret, deleted),
  };
}

function toChanges(dto: UpdateSourceDto): Omit<SourceChanges, 'secretSealed'> {
  return {
    name: dto.name, schema: dto.schema && toSourceSchema(dto.schema), config: dto.config, onDuplicate: dto.onDuplicate,
    partialBatches: dto.partialBatches, gatePolicy: dto.gatePolicy, quality: dto.quality && { ...dto.quality },
  };
}
