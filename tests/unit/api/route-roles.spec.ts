import { MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { validateEnv, ApiEnv } from '@opsloop/config';
import { isRole } from '@opsloop/domain';
import { ApiModule } from '../../../apps/api/src/api.module';
import { IS_PUBLIC, MIN_ROLE } from '../../../apps/api/src/auth/roles.decorator';

type Ctor = new (...args: never[]) => object;

function routes(): { route: string; minRole: unknown; isPublic: boolean }[] {
  const env = validateEnv(ApiEnv, { DATABASE_URL: 'postgres://x@h/db', TEMPORAL_ADDRESS: 'h:7233', OPSLOOP_ADMIN_KEY: 'k'.repeat(20), OPSLOOP_SECRET_KEY: 'ab'.repeat(32) });
  const controllers = (ApiModule.forRoot(env).controllers ?? Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, ApiModule)) as Ctor[];
  return controllers.flatMap((ctrl) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
    const proto = ctrl.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && Reflect.hasMetadata(PATH_METADATA, proto[name] as object))
      .map((name) => {
        const handler = proto[name] as object;
        return {
          route: `/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler))}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'),
          minRole: Reflect.getMetadata(MIN_ROLE, handler) ?? Reflect.getMetadata(MIN_ROLE, ctrl),
          isPublic: Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, ctrl)),
        };
      });
  });
}

describe('route roles', () => {
  it('finds the API routes', () => {
    expect(routes().length).toBeGreaterThanOrEqual(6);
  });

  it('makes every /api/v1 route declare the lowest role it allows, and none public', () => {
    const v1 = routes().filter((r) => r.route.startsWith('/api/v1'));
    expect(v1.filter((r) => r.isPublic || !isRole(r.minRole))).toEqual([]);
  });

  it('leaves only health and the dashboard shell open', () => {
    const open = routes().filter((r) => r.isPublic).map((r) => r.route).sort();
    expect(open).toEqual(['/', '/health', '/health/ready']);
  });
});
