/**
 * The README's role table against the server: every operation of the OpenAPI document (read from
 * the real app at /api/docs-json) has one row, every row is an operation, and the role in the row
 * is the one the route declares with @MinRole and the one the server enforces: a key one role
 * below gets 403 (no key: 401), a key of that role gets past the check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { LOOSENING_FIELDS, Role, ROLES } from '@opsloop/domain';
import { ApiEnv } from '@opsloop/config';
import { API_ENV } from '../../apps/api/src/api-env';
import { ApiModule } from '../../apps/api/src/api.module';
import { IS_PUBLIC, MIN_ROLE } from '../../apps/api/src/auth/roles.decorator';
import { bearer, startTestApi, TestApi } from '../support/test-apps';

type Access = Role | 'public';
type Operation = { method: string; path: string; access: Access };
type Ctor = new (...args: never[]) => object;

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const ROLE_TABLE = section(README, '### Who may do what');

/** The text of one README section, up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const level = heading.split(' ')[0];
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows like "| `GET` | `/api/v1/loops/{id}` | viewer |". */
function tableRows(text: string): Operation[] {
  return [...text.matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \| (public|viewer|operator|admin) \|/gm)]
    .map(([, method, p, access]) => ({ method, path: p, access: access as Access }));
}

/** What each handler declares, by the operation id Nest's document gives it (Controller_method). */
function declaredAccess(env: ApiEnv): Map<string, Access> {
  const controllers = (ApiModule.forRoot(env).controllers ?? Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, ApiModule)) as Ctor[];
  const access = new Map<string, Access>();
  for (const ctrl of controllers) {
    const proto = ctrl.prototype as Record<string, object>;
    for (const name of Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor')) {
      const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, proto[name]) ?? Reflect.getMetadata(IS_PUBLIC, ctrl));
      // A route without @MinRole is admin-only: the guard fails closed.
      const role = (Reflect.getMetadata(MIN_ROLE, proto[name]) ?? Reflect.getMetadata(MIN_ROLE, ctrl) ?? 'admin') as Role;
      access.set(`${ctrl.name}_${name}`, isPublic ? 'public' : role);
    }
  }
  return access;
}

/** A concrete URL for a documented path: ids become unknown uuids, other parameters a plain word. */
function concrete(p: string): string {
  return p.replace(/\{([^}]+)\}/g, (_m, name: string) => (/id$/i.test(name) ? randomUUID() : name === 'version' ? '1' : 'no-such-thing'));
}

const fmt = (o: Operation) => `| \`${o.method}\` | \`${o.path}\` | ${o.access} |`;

describe("the README's role table", () => {
  let api: TestApi;
  let operations: Operation[];
  const keys = {} as Record<Role, Record<string, string>>;

  beforeAll(async () => {
    api = await startTestApi();
    keys.admin = bearer(api.adminKey);
    for (const role of ['viewer', 'operator'] as const) {
      const res = await api.http().post('/api/v1/api-keys').set(keys.admin).send({ name: `role table ${role} ${randomUUID()}`, role });
      keys[role] = bearer(res.body.key as string);
    }
    const doc = (await api.http().get('/api/docs-json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
    const declared = declaredAccess(api.app.get<ApiEnv>(API_ENV));
    operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => {
      const access = declared.get(op.operationId);
      if (!access) throw new Error(`no handler found for operation ${op.operationId}`);
      return { method: method.toUpperCase(), path: p, access };
    }));
  });
  afterAll(() => api.close());

  it('has one row per operation of the OpenAPI document, with the role the route declares, and no other rows', () => {
    expect(operations.length).toBeGreaterThan(30);
    const documented = operations.map(fmt).sort();
    expect(tableRows(ROLE_TABLE).map(fmt).sort()).toEqual(documented);
  });

  it('matches what the server enforces: one role below is refused, the role itself gets past the check', async () => {
    const mismatches: string[] = [];
    for (const op of operations) {
      const url = concrete(op.path);
      const call = (key?: Record<string, string>) => {
        const req = (api.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[op.method.toLowerCase()](url);
        return (key ? req.set(key) : req).send(op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
      };
      if (op.access === 'public') {
        if ((await call()).status === 401) mismatches.push(`${fmt(op)} asked for a key`);
        continue;
      }
      const below = ROLES[ROLES.indexOf(op.access) - 1];
      const refused = (await call(below ? keys[below] : undefined)).status;
      if (refused !== (below ? 403 : 401)) mismatches.push(`${fmt(op)}: ${below ?? 'no key'} got ${refused}`);
      const allowed = (await call(keys[op.access])).status;
      if (allowed === 401 || allowed === 403) mismatches.push(`${fmt(op)}: ${op.access} got ${allowed}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('lists every loosening rule the server applies, each naming the role it needs', () => {
    const rules = section(README, '### Loosening control needs an admin');
    for (const field of LOOSENING_FIELDS) expect(rules).toMatch(new RegExp(`^\\| \`${field.replace('.', '\\.')}\` \\| .+ \\| admin \\|$`, 'm'));
  });
});
