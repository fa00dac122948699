/**
 * Finds every `@LoopKind` provider at start and answers "which kinds exist" and "are these
 * params valid for that kind". Both apps use it: the API to refuse bad configs with field
 * errors, the worker to run the stages.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError, flattenValidationErrors } from '@opsloop/config';
import { Json, LoopKindHandler } from './loop-kind';
import { LOOP_KIND_METADATA } from './loop-kind.decorator';

export type ParamsCheck = { ok: true; params: Json } | { ok: false; errors: FieldError[] };

@Injectable()
export class LoopKindRegistry implements OnModuleInit {
  private readonly kinds = new Map<string, LoopKindHandler<object>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const name = this.reflector.get<string | undefined>(LOOP_KIND_METADATA, wrapper.metatype as object as never);
      if (!name) continue;
      if (this.kinds.has(name)) throw new Error(`Loop kind "${name}" is declared twice`);
      this.kinds.set(name, wrapper.instance as LoopKindHandler<object>);
    }
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  find(name: string): LoopKindHandler<object> | undefined {
    return this.kinds.get(name);
  }

  get(name: string): LoopKindHandler<object> {
    const kind = this.kinds.get(name);
    if (!kind) throw new Error(`Unknown loop kind "${name}"; known kinds: ${this.names().join(', ')}`);
    return kind;
  }

  /** Validates raw params against the kind's DTO and returns them with defaults filled in. */
  async checkParams(name: string, raw: unknown, policyVersion: string): Promise<ParamsCheck> {
    const kind = this.get(name);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { ok: false, errors: [{ field: 'params', messages: ['params must be an object'] }] };
    }
    const instance = plainToInstance(kind.paramsType, raw);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) return { ok: false, errors: flattenValidationErrors(errors, 'params') };
    const crossField = kind.checkConfig?.(instance, policyVersion) ?? [];
    if (crossField.length > 0) return { ok: false, errors: crossField };
    return { ok: true, params: instanceToPlain(instance) as Json };
  }

  /** Validates an event payload against the kind's event DTO, if it declares one. */
  async checkEvent(name: string, raw: Json): Promise<ParamsCheck> {
    const type = this.get(name).eventType;
    if (!type) return { ok: true, params: raw };
    const instance = plainToInstance(type, raw);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) return { ok: false, errors: flattenValidationErrors(errors, 'payload') };
    return { ok: true, params: instanceToPlain(instance) as Json };
  }

  /** Params as the kind's class, for stage code (the ledger and DB keep the plain form). */
  typedParams(name: string, params: Json): object {
    return plainToInstance(this.get(name).paramsType, params);
  }
}
