import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Role } from '@opsloop/domain';
import { ApiErrors } from '../common/api-responses';

export const MIN_ROLE = 'opsloop:min-role';
export const IS_PUBLIC = 'opsloop:public';

/**
 * The lowest role allowed on a route. A route without it is admin-only (fail closed). It also
 * documents what the key check can answer: 401, 403 when a role below the minimum exists, and 503
 * when Postgres cannot be asked about the key.
 */
export const MinRole = (role: Role) =>
  applyDecorators(SetMetadata(MIN_ROLE, role), ApiErrors(401, ...(role === 'viewer' ? [] : [403 as const]), 503));

/** Open without a key: only health, docs and the dashboard shell. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
