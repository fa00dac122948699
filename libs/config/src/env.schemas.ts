/** The environment each process accepts. README's configuration table mirrors ENV_CATALOG. */
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { isIP } from 'node:net';
import { parseSecretKey, SECRET_KEY_HINT } from './secret-box';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s]+$/;
const HOST_PORT = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;
/** An IPv4 or IPv6 address or a host name, without a port: what the API binds to. */
const IsListenHost = () =>
  ValidateBy({
    name: 'isListenHost',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && (isIP(v) !== 0 || /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(v)),
      defaultMessage: () => 'API_HOST must be an address or host name to listen on, without a port, e.g. 127.0.0.1, 0.0.0.0 or ::',
    },
  });

/** 32 bytes as hex or base64: the key SecretBox seals credentials with. The value is never echoed. */
const IsSecretKey = () =>
  ValidateBy({ name: 'isSecretKey', validator: { validate: (v: unknown) => typeof v === 'string' && parseSecretKey(v) !== null, defaultMessage: () => SECRET_KEY_HINT } });

/** Settings shared by the API and the worker. */
export class CoreEnv {
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL!: string;

  /** The schema owner's URL: migrations and grants run with it, so DATABASE_URL's role cannot drop the history triggers. */
  @IsOptional() @Matches(POSTGRES_URL, { message: 'DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Matches(HOST_PORT, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233' })
  TEMPORAL_ADDRESS!: string;

  @IsOptional() @IsString() @IsNotEmpty()
  TEMPORAL_NAMESPACE = 'default';

  @IsOptional() @IsString() @IsNotEmpty()
  TEMPORAL_TASK_QUEUE = 'opsloop';

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Comma-separated hosts webhooks and probes may call, e.g. `erp.example.com,*.hooks.example.com`. */
  @IsOptional() @IsString()
  OUTBOUND_ALLOWED_HOSTS = '';

  /** `true` lets postgres sources read opsloop's own database (host, port and database of DATABASE_URL). */
  @IsOptional() @IsIn(['true', 'false'], { message: 'SOURCE_ALLOW_OPSLOOP_DATABASE must be true or false' })
  SOURCE_ALLOW_OPSLOOP_DATABASE: 'true' | 'false' = 'false';

  /** Seals source credentials at rest (SecretBox); changing it makes stored credentials unreadable. */
  @IsSecretKey()
  OPSLOOP_SECRET_KEY!: string;

  /** Directory csv sources read files from (their paths are relative to it); unset: csv sources take uploads only. */
  @IsOptional() @IsString() @IsNotEmpty()
  OPSLOOP_CSV_ROOT?: string;

  /** Folder the ledger anchors go to: outside the database, so a rewritten ledger cannot rewrite them. */
  @IsOptional() @IsString() @IsNotEmpty()
  OPSLOOP_ANCHOR_DIR = '.opsloop/anchors';

  /** Signs anchors; unset, a key derived from OPSLOOP_SECRET_KEY. Never stored in the database. */
  @IsOptional() @IsSecretKey()
  OPSLOOP_ANCHOR_KEY?: string;

  /** A new anchor after this many ledger entries... */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  OPSLOOP_ANCHOR_EVERY = 1000;

  /** ...or after this many seconds when the ledger has grown at all. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(86_400)
  OPSLOOP_ANCHOR_INTERVAL_SECONDS = 300;

  /** Also POST each anchor here (through OUTBOUND_ALLOWED_HOSTS), e.g. to an archive the database admins cannot write. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPSLOOP_ANCHOR_WEBHOOK?: string;

  /** Attempts of one source collect (a pull plus its ingest) before the source is marked unhealthy. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10)
  SOURCE_COLLECT_ATTEMPTS = 3;

  /** Wait before the second collect attempt; doubles after each failure. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60_000)
  SOURCE_COLLECT_BACKOFF_MS = 1000;
}

export class ApiEnv extends CoreEnv {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Address the API listens on: loopback unless asked, since `npm start` prints an admin key. */
  @IsOptional() @IsListenHost()
  API_HOST = '127.0.0.1';

  @IsString()
  @MinLength(16, { message: 'OPSLOOP_ADMIN_KEY must be at least 16 characters long' })
  OPSLOOP_ADMIN_KEY!: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true })
  TEMPORAL_UI_URL = 'http://localhost:8233';

  /** Largest pushed observation batch in bytes; the row limit is each source's maxBatchRows. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  INGEST_MAX_BATCH_BYTES = 536_870_912;

  /** Largest single pushed row in bytes; a larger one gets 413 without being buffered whole. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) @Max(268_435_456)
  INGEST_MAX_ROW_BYTES = 1_048_576;
}

export class WorkerEnv extends CoreEnv {
  /** A prebuilt workflow bundle; without it the worker bundles `workflows/` at start. */
  @IsOptional() @IsString() @IsNotEmpty()
  OPSLOOP_WORKFLOW_BUNDLE?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  WORKER_MAX_CONCURRENT_ACTIVITIES = 20;

  /** Worker threads for bulk forecasts (a replenishment run over thousands of items); default: one per core. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  FORECAST_THREADS?: number;
}

/** `npm start`: what the dev stack needs before DATABASE_URL / TEMPORAL_ADDRESS exist. */
export class DevStackEnv {
  @IsOptional() @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(POSTGRES_URL, { message: 'DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @IsOptional() @Matches(HOST_PORT, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233' })
  TEMPORAL_ADDRESS?: string;

  @IsOptional() @IsString() @MinLength(16, { message: 'OPSLOOP_ADMIN_KEY must be at least 16 characters long' })
  OPSLOOP_ADMIN_KEY?: string;

  @IsOptional() @IsSecretKey()
  OPSLOOP_SECRET_KEY?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  @IsOptional() @IsListenHost()
  API_HOST = '127.0.0.1';

  @IsOptional() @IsString() @IsNotEmpty()
  TEMPORAL_NAMESPACE = 'default';

  @IsOptional() @IsString() @IsNotEmpty()
  TEMPORAL_TASK_QUEUE = 'opsloop';

  @IsOptional() @IsString() @IsNotEmpty()
  OPSLOOP_HOME = '.opsloop';

  @IsOptional() @IsString() @IsNotEmpty()
  OPSLOOP_CACHE_DIR?: string;

  @IsOptional() @IsString() @IsNotEmpty()
  TEMPORAL_CLI_PATH?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  OPSLOOP_PG_PORT = 54329;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  OPSLOOP_TEMPORAL_PORT = 7233;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  OPSLOOP_TEMPORAL_UI_PORT = 8233;
}
