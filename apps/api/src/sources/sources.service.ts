/**
 * Source definition use cases: check, seal the credentials, store. Plaintext credentials live only
 * for the length of one request and are never logged or returned.
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { SecretBox } from '@opsloop/config';
import { SourceDefinition, SourceSchema } from '@opsloop/domain';
import { NewSource, SourceChanges, SourceNameTakenError, SourceRepository } from '@opsloop/persistence';
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
  ) {}

  async create(dto: CreateSourceDto): Promise<SourceResponseDto> {
    const source: Omit<NewSource, 'secretSealed'> = {
      name: dto.name, kind: dto.kind, schema: toSourceSchema(dto.schema), config: dto.config ?? {},
      onDuplicate: dto.onDuplicate ?? 'skip', partialBatches: dto.partialBatches ?? true, gatePolicy: dto.gatePolicy ?? 'warn',
      quality: { ...dto.quality },
    };
    this.assertValid({ ...source, secret: dto.secret ?? undefined, hasStoredSecret: false });
    const created = await this.named(() => this.sources.create({ ...source, secretSealed: this.sealed(dto.secret) ?? null }));
    return toSourceResponse(created);
  }

  async list(): Promise<SourceResponseDto[]> {
    return (await this.sources.list()).map(toSourceResponse);
  }

  async get(id: string): Promise<SourceResponseDto> {
    return toSourceResponse(await this.existing(id));
  }

  async update(id: string, dto: UpdateSourceDto): Promise<SourceResponseDto> {
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
    const updated = await this.named(() => this.sources.update(id, { ...changes, secretSealed: this.sealed(dto.secret) }));
    if (!updated) throw new NotFoundException(`No source with id ${id}`);
    return toSourceResponse(updated);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.sources.softDelete(id))) throw new NotFoundException(`No source with id ${id}`);
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

function toChanges(dto: UpdateSourceDto): Omit<SourceChanges, 'secretSealed'> {
  return {
    name: dto.name, schema: dto.schema && toSourceSchema(dto.schema), config: dto.config, onDuplicate: dto.onDuplicate,
    partialBatches: dto.partialBatches, gatePolicy: dto.gatePolicy, quality: dto.quality && { ...dto.quality },
  };
}
