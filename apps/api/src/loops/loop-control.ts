/**
 * Separation of duties for loops: before a change is written, find what it loosens (libs/domain
 * loosening.ts) and refuse it, naming each field, unless the key is an admin. The tuning bounds
 * come from the loop kind, which knows which params its tune step moves.
 */
import { ForbiddenException, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { FieldError } from '@opsloop/config';
import { LoopConfig, LoopControls, Loosening, loosenings, LOOSENING_ROLE, newLoopBaseline, Role, roleAllows, ROLES, TuningBounds } from '@opsloop/domain';
import { ApiErrors } from '../common/api-responses';
import { LoopKindRegistry } from '@opsloop/loops';
import { LoopConfigCheck } from './loop-config-check';

@Injectable()
export class LoopControl {
  constructor(
    private readonly registry: LoopKindRegistry,
    private readonly check: LoopConfigCheck,
  ) {}

  /** The field errors of a 403 when `role` may not make this change; empty when it may. */
  refusal(before: LoopConfig | null, after: LoopConfig, role: Role): FieldError[] {
    if (roleAllows(role, LOOSENING_ROLE)) return [];
    const from = before ? this.controls(before) : this.baseline(after.kind);
    return loosenings(from, this.controls(after)).map((l) => fieldError(l, role));
  }

  private controls(c: LoopConfig): LoopControls {
    return { mode: c.mode, approval: c.approval, actionTarget: c.actionTarget, policyVersion: c.policyVersion, tuningBounds: this.bounds(c.kind, c.params) };
  }

  /** A new loop is compared with what a create that says nothing would get. */
  private baseline(kind: string): LoopControls {
    return newLoopBaseline(this.check.newestPolicyVersion(kind), this.bounds(kind, {}));
  }

  /** Params are already checked; a kind without a tune step has no bounds. */
  private bounds(kind: string, params: Record<string, unknown>): TuningBounds {
    const handler = this.registry.find(kind);
    if (!handler?.tuneBounds) return {};
    return handler.tuneBounds(this.registry.typedParams(kind, params));
  }
}

function fieldError(l: Loosening, role: Role): FieldError {
  return { field: l.field, messages: [`${l.field} needs the ${LOOSENING_ROLE} role: ${l.reason}; this key has ${role}`] };
}

/** The 403 for a refused loosening: the usual per-field body, plus the role that would be allowed. */
export function looseningRefused(errors: FieldError[], role: Role): ForbiddenException {
  return new ForbiddenException({
    statusCode: 403, error: 'Forbidden', requiredRole: LOOSENING_ROLE, errors,
    message: `This change loosens control of the loop and needs the ${LOOSENING_ROLE} role; this key has ${role}. Nothing was changed.`,
  });
}

export class LooseningRefusalDto {
  @ApiProperty({ enum: ROLES, example: LOOSENING_ROLE, description: 'the role that may make this change' }) requiredRole!: Role;
}

/** Documents the 403 of a route where an operator may tighten but not loosen. */
export const ApiLooseningRefusal = () => ApiErrors({
  status: 403,
  extends: LooseningRefusalDto,
  description: "The key's role is below the route's, or the change loosens control and needs admin (mode live, a weaker approval rule, " +
    'a new action target or policy version, wider tuning bounds): `errors` names each field, `requiredRole` the role. Nothing changed; the attempt is in the ledger.',
});
