import { SetMetadata } from '@nestjs/common';
import { Role } from '@opsloop/domain';

export const MIN_ROLE = 'opsloop:min-role';
export const IS_PUBLIC = 'opsloop:public';

/** The lowest role allowed on a route. A route without it is admin-only (fail closed). */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/** Open without a key: only health, docs and the dashboard shell. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
