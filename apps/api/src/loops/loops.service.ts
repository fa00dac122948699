/** Loop instance use cases: validate, write the row and keep the Schedule in step, atomically. */
import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { canonicalJson, LoopConfig, LoopInstance } from '@opsloop/domain';
import { LoopRepository } from '@opsloop/persistence';
import { fieldErrorsException } from '../common/validation';
import { LoopConfigCheck } from './loop-config-check';
import { LoopSchedules } from './loop-schedules';
import { CreateLoopDto, ListLoopsQuery, LoopResponseDto, toActionTarget, toApproval, toConfigChanges, toLoopResponse, toTrigger, UpdateLoopDto } from './loops.dto';

@Injectable()
export class LoopsService {
  constructor(
    private readonly loops: LoopRepository,
    private readonly check: LoopConfigCheck,
    private readonly schedules: LoopSchedules,
  ) {}

  async create(dto: CreateLoopDto): Promise<LoopResponseDto> {
    const config = await this.validated({
      kind: dto.kind,
      policyVersion: dto.policyVersion ?? this.check.newestPolicyVersion(dto.kind),
      params: dto.params ?? {},
      mode: dto.mode ?? 'dry-run',
      trigger: toTrigger(dto.trigger),
      overlap: dto.overlap ?? 'skip',
      approval: toApproval(dto.approval),
      actionTarget: toActionTarget(dto.actionTarget),
    });
    const loop = await this.withSchedule((tx) =>
      this.loops.insert({ ...config, id: randomUUID(), name: dto.name, enabled: dto.enabled ?? true }, tx));
    return toLoopResponse(loop);
  }

  async get(id: string): Promise<LoopResponseDto> {
    return toLoopResponse(await this.existing(id));
  }

  async list(q: ListLoopsQuery): Promise<LoopResponseDto[]> {
    return (await this.loops.list(q)).map(toLoopResponse);
  }

  async update(id: string, dto: UpdateLoopDto): Promise<LoopResponseDto> {
    const current = await this.existing(id);
    const changes = toConfigChanges(dto);
    if (changes.kind !== undefined && changes.kind !== current.kind) {
      throw fieldErrorsException([{ field: 'kind', messages: ['kind cannot change; create a new loop instead'] }]);
    }
    const config = await this.validated({ ...current, ...stripUndefined(changes) });
    // Key order is no change: jsonb stores keys in its own order, the kind's DTO in declaration order.
    const paramsChanged = canonicalJson(config.params) !== canonicalJson(current.params);
    const loop = await this.withSchedule((tx) =>
      this.loops.update(id, { ...config, name: dto.name, enabled: dto.enabled, paramsChanged }, tx));
    return toLoopResponse(loop);
  }

  async setEnabled(id: string, enabled: boolean): Promise<LoopResponseDto> {
    await this.existing(id);
    return toLoopResponse(await this.withSchedule((tx) => this.loops.update(id, { enabled }, tx)));
  }

  async remove(id: string): Promise<void> {
    await this.existing(id);
    await this.loops.inTransaction(async (tx) => {
      await this.loops.softDelete(id, tx);
      await this.temporal(() => this.schedules.remove(id));
    });
  }

  async existing(id: string): Promise<LoopInstance> {
    const loop = await this.loops.findById(id);
    if (!loop) throw new NotFoundException(`No loop with id ${id}`);
    return loop;
  }

  private async validated(config: LoopConfig): Promise<LoopConfig> {
    const checked = await this.check.check(config);
    if (checked.errors.length > 0) throw fieldErrorsException(checked.errors);
    return checked.config;
  }

  /** Row change and Schedule change commit together: a Temporal failure rolls the row back. */
  private withSchedule(write: (tx: EntityManager) => Promise<LoopInstance | null>): Promise<LoopInstance> {
    return this.loops.inTransaction(async (tx) => {
      const loop = await write(tx);
      if (!loop) throw new NotFoundException('The loop was deleted meanwhile');
      await this.temporal(() => this.schedules.sync(loop));
      return loop;
    });
  }

  private async temporal(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      throw new ServiceUnavailableException(`Cannot update the Temporal Schedule; nothing was changed (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
