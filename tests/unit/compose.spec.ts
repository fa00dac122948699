/**
 * No Docker engine runs the stack in CI, so docker-compose.yml and the Dockerfile are checked as
 * data: against the env catalog, the env schemas the processes validate at start, and each other.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ApiEnv, ENV_CATALOG, EnvConsumer, validateEnv, WorkerEnv } from '@opsloop/config';
import { SEARCH_ATTRIBUTES } from '../../libs/temporal/src/search-attributes';

type Port = string | number | { target: number | string; published?: number | string };
interface Service {
  environment?: Record<string, unknown> | string[];
  ports?: Port[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, { condition: string }>;
  command?: string | string[];
}

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const COMPOSE: { services: Record<string, Service> } = parse(read('docker-compose.yml'));
const SCRIPTS: Record<string, string> = JSON.parse(read('package.json')).scripts;
// 64 hex digits: valid as a 32-byte key, as an admin key and as a URL-safe password.
const SAMPLE_SECRET = '5'.repeat(64);
const APPS: { name: EnvConsumer; schema: new () => object }[] = [
  { name: 'api', schema: ApiEnv },
  { name: 'worker', schema: WorkerEnv },
];

function service(name: string): Service {
  const found = COMPOSE.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Compose's ${VAR:?message} must be supplied by the user (a sample stands in); ${VAR:-x} defaults to x. */
function interpolate(value: string): string {
  return value.replace(/\$\{\w+(?::?([?-])([^}]*))?\}/g, (_, op?: string, arg?: string) => (op === '-' ? arg ?? '' : SAMPLE_SECRET));
}

function envOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const pairs = Array.isArray(env) ? env.map((line) => line.split(/=(.*)/s).slice(0, 2)) : Object.entries(env);
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolate(String(value ?? ''))]));
}

/** Ports the service's container listens on, from `ports` (short or long form) and `expose`. */
function containerPorts(name: string): number[] {
  const { ports = [], expose = [] } = service(name);
  const fromPorts = ports.map((p) => (typeof p === 'object' ? p.target : String(p).split(':').pop()!));
  return [...fromPorts, ...expose].map((p) => parseInt(String(p), 10));
}

function publishedPort(name: string, target: number): number | undefined {
  for (const p of service(name).ports ?? []) {
    const [published, container] = typeof p === 'object' ? [p.published, p.target] : String(p).split(':').slice(-2);
    if (parseInt(String(container), 10) === target && published !== undefined) return parseInt(String(published), 10);
  }
  return undefined;
}

function conditions(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([dep, { condition }]) => [dep, condition]));
}

const commandLine = (name: string) => [service(name).command ?? []].flat().join(' ');
const hostPort = (address: string) => address.match(/^(.*):(\d+)$/)!.slice(1) as [string, string];

describe('docker-compose.yml', () => {
  it('defines postgres, temporal, temporal-ui, api and worker services', () => {
    expect(Object.keys(COMPOSE.services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker']),
    );
  });

  describe.each(APPS)('$name', ({ name, schema }) => {
    it('sets only variables the env catalog lists for this process', () => {
      const unknown = Object.keys(envOf(name)).filter(
        (key) => !ENV_CATALOG.some((v) => v.name === key && v.usedBy.includes(name)),
      );
      expect(unknown).toEqual([]);
    });

    it('sets every variable the env catalog requires for this process', () => {
      const required = ENV_CATALOG.filter((v) => v.required.includes(name)).map((v) => v.name);
      expect(required.filter((key) => !(key in envOf(name)))).toEqual([]);
    });

    it('gets an environment its schema accepts', () => {
      expect(() => validateEnv(schema, envOf(name))).not.toThrow();
    });

    it('migrates as the owner postgres creates and runs as the app role its init script creates', () => {
      const owner = new URL(envOf(name).DATABASE_MIGRATION_URL);
      const app = new URL(envOf(name).DATABASE_URL);
      const pg = envOf('postgres');
      for (const url of [owner, app]) {
        expect([url.hostname, Number(url.port), url.pathname]).toEqual(['postgres', 5432, `/${pg.POSTGRES_DB}`]);
        expect(containerPorts('postgres')).toContain(Number(url.port));
      }
      expect([owner.username, owner.password]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD]);
      expect(app.username).not.toBe(pg.POSTGRES_USER);
      expect(app.password).toBe(pg.OPSLOOP_APP_DB_PASSWORD);
      expect(read('tools/compose/postgres-app-role.sh')).toContain(`CREATE ROLE ${app.username} LOGIN`);
      expect((COMPOSE.services.postgres as { volumes: string[] }).volumes).toContain('./tools/compose/postgres-app-role.sh:/docker-entrypoint-initdb.d/10-app-role.sh:ro');
    });

    it('reaches the temporal service on the gRPC port it exposes', () => {
      const [host, port] = hostPort(envOf(name).TEMPORAL_ADDRESS);
      expect([host, port]).toEqual(['temporal', '7233']);
      expect(containerPorts('temporal')).toContain(Number(port));
    });

    it('waits for a healthy postgres, for temporal and for the search attributes', () => {
      expect(conditions(name)).toMatchObject({
        postgres: 'service_healthy',
        temporal: expect.stringMatching(/^service_/),
        'temporal-setup': 'service_completed_successfully',
      });
    });

    it('runs the npm script of the same name, whose files exist', () => {
      expect(commandLine(name)).toBe(SCRIPTS[name]);
      for (const file of ['tools/register.js', `apps/${name}/src/main.ts`]) {
        expect(commandLine(name)).toContain(file);
        expect(existsSync(path.join(ROOT, file))).toBe(true);
      }
    });
  });

  it('publishes Temporal\'s gRPC and UI on 127.0.0.1 only: neither authenticates its callers', () => {
    for (const name of ['temporal', 'temporal-ui']) {
      for (const port of service(name).ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('has no built-in fallback for any secret: each must be supplied', () => {
    const text = read('docker-compose.yml');
    const secrets = [...ENV_CATALOG.filter((v) => v.secret).map((v) => v.name), 'OPSLOOP_DB_PASSWORD', 'OPSLOOP_APP_DB_PASSWORD'];
    for (const name of secrets) expect(text).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    expect(text).not.toMatch(/DEV-ONLY/);
    expect(text).toContain('${OPSLOOP_SECRET_KEY:?');
  });

  it('publishes the api on the container port its PORT names', () => {
    expect(containerPorts('api')).toContain(Number(envOf('api').PORT));
    expect(publishedPort('api', Number(envOf('api').PORT))).toBeDefined();
  });

  it('has the api listen on every interface inside its container, so the published port reaches it', () => {
    expect(envOf('api').API_HOST).toBe('0.0.0.0');
    expect(validateEnv(ApiEnv, envOf('api')).API_HOST).toBe('0.0.0.0');
  });

  it('links runs to the host port the temporal-ui is published on', () => {
    const uiPort = Number(new URL(envOf('api').TEMPORAL_UI_URL).port);
    expect(publishedPort('temporal-ui', 8080)).toBe(uiPort);
  });

  it('registers every search attribute the app sets, with its type, on the default namespace', () => {
    const script = commandLine('temporal-setup').replace(/\\\n/g, ' ');
    expect(script).toContain('--namespace default');
    for (const [attribute, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      expect(script).toMatch(new RegExp(`--name ${attribute}\\s+--type ${type}\\b`));
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('has the API listen on every interface when the image runs on its own', () => {
    expect(dockerfile).toMatch(/^ENV API_HOST=0\.0\.0\.0$/m);
  });

  it('runs the app as a non-root user', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users[users.length - 1]);
  });

  it('copies everything the register hook and the entry points read', () => {
    for (const needed of ['tsconfig.json', 'tools', 'libs', 'workflows', 'apps']) {
      expect(dockerfile).toMatch(new RegExp(`^COPY .*\\b${needed}\\b`, 'm'));
    }
  });
});
