/**
 * Every environment variable opsloop reads, who reads it and what it means.
 * The README table and the docker-compose test are checked against this list.
 */
export type EnvConsumer = 'api' | 'worker' | 'start';

export interface EnvVar {
  name: string;
  usedBy: EnvConsumer[];
  required: EnvConsumer[];
  default?: string;
  secret?: boolean;
  description: string;
}

export const ENV_CATALOG: EnvVar[] = [
  { name: 'DATABASE_URL', usedBy: ['api', 'worker', 'start'], required: ['api', 'worker'], secret: true,
    description: 'PostgreSQL connection URL. `npm start` starts embedded Postgres when it is unset.' },
  { name: 'DATABASE_MIGRATION_URL', usedBy: ['api', 'worker', 'start'], required: [], secret: true,
    description: 'URL of the role that owns the schema. When set, migrations and grants run with it and DATABASE_URL\'s role gets row rights only, so the apps cannot drop the append-only triggers. `npm start` sets both.' },
  { name: 'TEMPORAL_ADDRESS', usedBy: ['api', 'worker', 'start'], required: ['api', 'worker'],
    description: 'Temporal frontend host:port. `npm start` starts a Temporal dev server when it is unset.' },
  { name: 'TEMPORAL_NAMESPACE', usedBy: ['api', 'worker', 'start'], required: [], default: 'default',
    description: 'Temporal namespace for runs and schedules.' },
  { name: 'TEMPORAL_TASK_QUEUE', usedBy: ['api', 'worker', 'start'], required: [], default: 'opsloop',
    description: 'Task queue shared by the API (starts runs) and the worker (executes them).' },
  { name: 'TEMPORAL_UI_URL', usedBy: ['api'], required: [], default: 'http://localhost:8233',
    description: 'Base URL of the Temporal UI, used for run links.' },
  { name: 'OPSLOOP_ADMIN_KEY', usedBy: ['api', 'start'], required: ['api'], secret: true,
    description: 'First admin API key (16+ chars). `npm start` generates one into .opsloop/admin-key when unset.' },
  { name: 'OPSLOOP_SECRET_KEY', usedBy: ['api', 'worker', 'start'], required: ['api', 'worker'], secret: true,
    description: 'Key that seals source credentials (AES-256-GCM): 32 bytes as base64 or hex. `npm start` generates one into .opsloop/secret-key when unset.' },
  { name: 'INGEST_MAX_BATCH_BYTES', usedBy: ['api'], required: [], default: '536870912',
    description: 'Largest body of one pushed observation batch, in bytes (512 MiB); larger batches get 413. Rows per batch are capped by the source\'s maxBatchRows.' },
  { name: 'INGEST_MAX_ROW_BYTES', usedBy: ['api'], required: [], default: '1048576',
    description: 'Largest single row of a pushed batch (a JSON object, an NDJSON line or a CSV record), in bytes (1 MiB); a batch with a larger row gets 413 naming the row, and nothing of it is stored.' },
  { name: 'PORT', usedBy: ['api', 'start'], required: [], default: '3000', description: 'HTTP port of the API and dashboard.' },
  { name: 'API_HOST', usedBy: ['api', 'start'], required: [], default: '127.0.0.1',
    description: 'Address the API and dashboard listen on. Loopback by default, so only this machine reaches them; `0.0.0.0` (or `::`) listens on every interface, as in a container.' },
  { name: 'LOG_LEVEL', usedBy: ['api', 'worker'], required: [], default: 'info',
    description: 'pino level: fatal, error, warn, info, debug, trace or silent.' },
  { name: 'OUTBOUND_ALLOWED_HOSTS', usedBy: ['api', 'worker'], required: [], default: '',
    description: 'Comma-separated hosts that webhook actions, probes, http sources and postgres sources may reach (`*.example.com` allowed). Empty: none.' },
  { name: 'SOURCE_ALLOW_OPSLOOP_DATABASE', usedBy: ['api', 'worker'], required: [], default: 'false',
    description: "`true` lets postgres sources read opsloop's own database (the host, port and database of `DATABASE_URL`); otherwise such a source is refused." },
  { name: 'OPSLOOP_CSV_ROOT', usedBy: ['api', 'worker', 'start'], required: [],
    description: 'Directory csv sources may read files from; their paths are relative to it. Unset: csv sources take uploads only. `npm start` uses `.opsloop/csv`.' },
  { name: 'OPSLOOP_ANCHOR_DIR', usedBy: ['api', 'worker'], required: [], default: '.opsloop/anchors',
    description: 'Folder for signed ledger anchors (sequence, hash, time), outside the database; `audit verify` and `GET /ledger/verify` compare the chain with the newest one.' },
  { name: 'OPSLOOP_ANCHOR_KEY', usedBy: ['api', 'worker'], required: [], secret: true,
    description: 'Key that signs the anchors (HMAC-SHA256), 32 bytes as base64 or hex; unset, one derived from OPSLOOP_SECRET_KEY. Keep it out of the database.' },
  { name: 'OPSLOOP_ANCHOR_EVERY', usedBy: ['worker'], required: [], default: '1000',
    description: 'The worker writes an anchor after this many new ledger entries.' },
  { name: 'OPSLOOP_ANCHOR_INTERVAL_SECONDS', usedBy: ['worker'], required: [], default: '300',
    description: 'The worker also writes an anchor this often while the ledger grows.' },
  { name: 'OPSLOOP_ANCHOR_WEBHOOK', usedBy: ['worker'], required: [],
    description: 'Optional URL each anchor is also POSTed to (its host must be in OUTBOUND_ALLOWED_HOSTS).' },
  { name: 'SOURCE_COLLECT_ATTEMPTS', usedBy: ['api', 'worker'], required: [], default: '3',
    description: 'Attempts of one source collect before the source is marked unhealthy.' },
  { name: 'SOURCE_COLLECT_BACKOFF_MS', usedBy: ['api', 'worker'], required: [], default: '1000',
    description: 'Wait before the second collect attempt, doubling after each failure.' },
  { name: 'OPSLOOP_WORKFLOW_BUNDLE', usedBy: ['worker'], required: [],
    description: 'Path to a prebuilt workflow bundle; otherwise the worker bundles workflows/ at start.' },
  { name: 'WORKER_MAX_CONCURRENT_ACTIVITIES', usedBy: ['worker'], required: [], default: '20',
    description: 'Activities one worker runs at once.' },
  { name: 'FORECAST_THREADS', usedBy: ['worker'], required: [], default: 'one per core',
    description: 'Worker threads that forecast the items of a large replenishment run (300 items or more) off the event loop.' },
  { name: 'OPSLOOP_DEMO', usedBy: ['start'], required: [], default: '`1`, or `0` when `DATABASE_URL` is set',
    description: '`npm start` sets up the demo shop (4 sources, 2 years of daily history for 50 items in 2 stores, a nightly dry-run replenishment loop); 0 turns it off.' },
  { name: 'OPSLOOP_HOME', usedBy: ['start'], required: [], default: '.opsloop',
    description: 'Where `npm start` keeps embedded Postgres data, the Temporal db file and the generated admin key.' },
  { name: 'OPSLOOP_CACHE_DIR', usedBy: ['start'], required: [], default: '~/.cache/opsloop',
    description: 'Cache outside the repo for the Temporal CLI build.' },
  { name: 'TEMPORAL_CLI_PATH', usedBy: ['start'], required: [],
    description: 'Path to an existing `temporal` binary; checked before PATH, the cache, a Go build and the SDK download.' },
  { name: 'OPSLOOP_PG_PORT', usedBy: ['start'], required: [], default: '54329', description: 'Port of the embedded Postgres.' },
  { name: 'OPSLOOP_TEMPORAL_PORT', usedBy: ['start'], required: [], default: '7233', description: 'gRPC port of the Temporal dev server.' },
  { name: 'OPSLOOP_TEMPORAL_UI_PORT', usedBy: ['start'], required: [], default: '8233', description: 'Port of the Temporal UI.' },
];
