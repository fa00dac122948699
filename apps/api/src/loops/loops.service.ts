/**
 * Loop instance use cases: validate, check that the key may make the change (separation of
 * duties), then write the row, keep the Schedule in step and record the change with its actor
 * in the ledger, all in one transaction. A refused loosening changes nothing and is recorded.
 */
import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  ApiKey, canonicalJson, ConfigAction, ConfigChangeFacts, DEFAULT_STAGE_DEADLINE_SECONDS, describeUrl, LoopConfig, LoopInstance, LoopSnapshot, loopSnapshot,
  LOOSENING_ROLE,
} from '@opsloop/domain';
import { LoopRepository } from '@opsloop/persistence';
import { FieldError } from '@opsloop/config';
import { ConfigAudit } from '../audit/config-audit';
import { fieldErrorsException } from '../common/validation';
import { LoopConfigCheck } from './loop-config-check';
import { LoopControl, looseningRefused } from './loop-control';
import { LoopSchedules } from './loop-schedules';
import { CreateLoopDto, ListLoopsQuery, LoopResponseDto, toActionTarget, toApproval, toConfigChanges, toLoopResponse, toTrigger, UpdateLoopDto } from './loops.dto';

type LoopFacts = ConfigChangeFacts<LoopSnapshot>;
type Attempt = { loop: LoopInstance } | { refused: FieldError[]; facts: LoopFacts };

@Injectable()
export class LoopsService {
  constructor(
    private readonly loops: LoopRepository,
    private readonly check: LoopConfigCheck,
    private readonly control: LoopControl,
    private readonly schedules: LoopSchedules,
    private readonly audit: ConfigAudit,
  ) {}

  async create(dto: CreateLoopDto, actor: ApiKey): Promise<LoopResponseDto> {
    const config = await this.validated({
      kind: dto.kind,
      policyVersion: dto.policyVersion ?? this.check.newestPolicyVersion(dto.kind),
      params: dto.params ?? {},
      mode: dto.mode ?? 'dry-run',
      trigger: toTrigger(dto.trigger),
      // A run waiting days for approval must not hold back later fires; intent keys keep two runs from acting twice.
      overlap: dto.overlap ?? 'allow-all',
      stageDeadlineSeconds: dto.stageDeadlineSeconds ?? DEFAULT_STAGE_DEADLINE_SECONDS,
      approval: toApproval(dto.approval),
      actionTarget: toActionTarget(dto.actionTarget),
    });
    const fresh = { ...config, id: randomUUID(), name: dto.name, enabled: dto.enabled ?? true };
    const refused = this.control.refusal(null, config, actor.role);
    if (refused.length > 0) {
      return this.refuse(actor, { subject: 'loop', subjectId: null, subjectName: dto.name, action: 'create', before: undefined, after: loopSnapshot(fresh) }, refused);
    }
    const loop = await this.audit.change(actor, async (tx) => {
      const made = await this.loops.insert(fresh, tx);
      await this.temporal(() => this.schedules.sync(made));
      return { result: made, facts: loopFacts('create', undefined, made) };
    });
    return toLoopResponse(loop);
  }

  async get(id: string, reader: ApiKey): Promise<LoopResponseDto> {
    return forReader(await this.existing(id), reader);
  }

  async list(q: ListLoopsQuery, reader: ApiKey): Promise<LoopResponseDto[]> {
    return (await this.loops.list(q)).map((l) => forReader(l, reader));
  }

  async update(id: string, dto: UpdateLoopDto, actor: ApiKey): Promise<LoopResponseDto> {
    const changes = stripUndefined(toConfigChanges(dto));
    // The row is locked while it is checked and written, so the check sees what the write replaces.
    const attempt = await this.audit.change<Attempt, LoopSnapshot>(actor, async (tx) => {
      const current = await this.locked(id, tx);
      if (changes.kind !== undefined && changes.kind !== current.kind) {
        throw fieldErrorsException([{ field: 'kind', messages: ['kind cannot change; create a new loop instead'] }]);
      }
      const config = await this.validated({ ...current, ...changes });
      const next = { ...current, ...config, name: dto.name ?? current.name, enabled: dto.enabled ?? current.enabled };
      const refused = this.control.refusal(current, config, actor.role);
      if (refused.length > 0) return { result: { refused, facts: loopFacts('update', current, next) }, facts: null };
      // Key order is no change: jsonb stores keys in its own order, the kind's DTO in declaration order.
      const paramsChanged = canonicalJson(config.params) !== canonicalJson(current.params);
      const loop = await this.write(() => this.loops.update(id, { ...config, name: dto.name, enabled: dto.enabled, paramsChanged }, tx));
      return { result: { loop }, facts: loopFacts('update', current, loop) };
    });
    if ('refused' in attempt) return this.refuse(actor, attempt.facts, attempt.refused);
    return toLoopResponse(attempt.loop);
  }

  async setEnabled(id: string, enabled: boolean, actor: ApiKey): Promise<LoopResponseDto> {
    const loop = await this.audit.change(actor, async (tx) => {
      const current = await this.locked(id, tx);
      const changed = await this.write(() => this.loops.update(id, { enabled }, tx));
      return { result: changed, facts: loopFacts(enabled ? 'enable' : 'disable', current, changed) };
    });
    return toLoopResponse(loop);
  }

  async remove(id: string, actor: ApiKey): Promise<void> {
    await this.audit.change(actor, async (tx) => {
      const current = await this.locked(id, tx);
      await this.loops.softDelete(id, tx);
      await this.temporal(() => this.schedules.remove(id));
      return { result: undefined, facts: loopFacts('delete', current, { ...current, enabled: false }, true) };
    });
  }

  async existing(id: string): Promise<LoopInstance> {
    const loop = await this.loops.findById(id);
    if (!loop) throw new NotFoundException(`No loop with id ${id}`);
    return loop;
  }

  private async locked(id: string, tx: EntityManager): Promise<LoopInstance> {
    const loop = await this.loops.findById(id, tx);
    if (!loop) throw new NotFoundException(`No loop with id ${id}`);
    return loop;
  }

  private async validated(config: LoopConfig): Promise<LoopConfig> {
    const checked = await this.check.check(config);
    if (checked.errors.length > 0) throw fieldErrorsException(checked.errors);
    return checked.config;
  }

  /** Row change and Schedule change commit together: a Temporal failure rolls the row back. */
  private async write(change: () => Promise<LoopInstance | null>): Promise<LoopInstance> {
    const loop = await change();
    if (!loop) throw new NotFoundException('The loop was deleted meanwhile');
    await this.temporal(() => this.schedules.sync(loop));
    return loop;
  }

  /** Records what was tried and by whom, then answers 403; nothing of the change was written. */
  private async refuse(actor: ApiKey, facts: LoopFacts, errors: FieldError[]): Promise<never> {
    await this.audit.refused(actor, facts, { status: 403, requiredRole: LOOSENING_ROLE, errors });
    throw looseningRefused(errors, actor.role);
  }

  private async temporal(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      throw new ServiceUnavailableException(`Cannot update the Temporal Schedule; nothing was changed (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

/**
 * Viewers see a webhook target as the ledger shows it (origin and first path segment): tokens
 * hide in webhook URLs, and a viewer key is the one handed out most widely. Percent-encoded, so
 * the "…" for the hidden part still leaves a valid URI.
 */
function forReader(loop: LoopInstance, reader: ApiKey): LoopResponseDto {
  const response = toLoopResponse(loop);
  if (reader.role !== 'viewer' || response.actionTarget.type !== 'webhook') return response;
  return { ...response, actionTarget: { ...response.actionTarget, url: encodeURI(String(describeUrl(response.actionTarget.url))) } };
}

function loopFacts(action: ConfigAction, before: LoopInstance | undefined, after: LoopInstance, deleted = false): LoopFacts {
  return {
    subject: 'loop', subjectId: after.id, subjectName: after.name, action, loopId: after.id,
    before: before && loopSnapshot(before), after: loopSnapshot(after, deleted),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
