/**
 * `npm run bench:outage`: how long a run takes to finish once opsloop's own Postgres comes back
 * after an outage that hit it in the middle of its collect stage. Per outage length (BENCH_OUTAGES,
 * seconds, default "10,60,180"): a fresh live threshold-alert loop reading 50 series from an HTTP
 * source, a run held inside collect, Postgres stopped, the source released, Postgres started again
 * on the same data and port after the outage; measured: time from Postgres back to the run
 * completed, collect attempts that could not reach Postgres, deliveries per idempotency key at a
 * local receiver. The API and worker run in this process on their own Postgres and an in-memory
 * Temporal dev server. Raw figures: bench/outage/last-run.json.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { defaultCacheDir, freePort, locateTemporalCli, RunningTemporal, startTemporalDevServer } from '@opsloop/devstack';
import { EffectTarget, startEffectTarget } from '../../tests/support/effect-target';
import { startHeldFeed } from '../../tests/support/held-feed';
import { startStoppablePostgres, StoppablePostgres } from '../../tests/support/stoppable-postgres';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from '../../tests/support/test-apps';
import { READING_SCHEMA } from '../../tests/integration/sources/pull-fixtures';
import { runBench } from '../support/run-bench';

const OUTPUT = path.join(__dirname, 'last-run.json');
const SERIES = Array.from({ length: 50 }, (_, i) => `store-${i + 1}.stockout-risk`);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Outcome {
  outageSeconds: number;
  status: string;
  /** From Postgres accepting connections again to the run completed. */
  completeAfterRecoverySeconds: number;
  collectAttemptsWithoutPostgres: number;
  abandonedNote: string | null;
  decisions: number;
  deliveries: number;
  distinctKeys: number;
  maxDeliveriesPerKey: number;
}

let pg: StoppablePostgres | undefined;
let temporal: RunningTemporal | undefined;
let api: TestApi | undefined;
let worker: INestApplicationContext | undefined;
let target: EffectTarget | undefined;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-bench-outage-'));

async function stopAll(): Promise<void> {
  await api?.close().catch(() => undefined);
  await worker?.close().catch(() => undefined);
  await target?.close().catch(() => undefined);
  await temporal?.stop().catch(() => undefined);
  await pg?.remove().catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const outages = (process.env.BENCH_OUTAGES ?? '10,60,180').split(',').map(Number);
  pg = await startStoppablePostgres();
  const cli = locateTemporalCli({ cacheDir: defaultCacheDir(), allowGoBuild: false });
  temporal = await startTemporalDevServer({ cli, port: await freePort(), uiPort: await freePort(), namespace: 'default', headless: true });
  target = await startEffectTarget();
  const env = {
    DATABASE_URL: pg.appUrl, DATABASE_MIGRATION_URL: pg.ownerUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue(), OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', SOURCE_COLLECT_ATTEMPTS: '1', LOG_LEVEL: 'error',
    OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'), OPSLOOP_ANCHOR_DIR: path.join(scratch, 'anchors'),
  };
  Object.assign(process.env, env);
  worker = await startTestWorker(env);
  api = await startTestApi(env);
  const results: Outcome[] = [];
  for (const seconds of outages) {
    log(`outage of ${seconds} s ...`);
    results.push(await scenario(api, pg, target, seconds));
    log(JSON.stringify(results[results.length - 1]));
  }
  printTable(results);
  fs.writeFileSync(OUTPUT, `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, series: SERIES.length, results }, null, 2)}\n`);
  log(`raw figures in ${path.relative(process.cwd(), OUTPUT)}`);
}

async function scenario(app: TestApi, db: StoppablePostgres, erp: EffectTarget, outageSeconds: number): Promise<Outcome> {
  const admin = bearer(app.adminKey);
  const feed = await startHeldFeed(SERIES);
  try {
    const source = await post(app, '/api/v1/sources', {
      name: `outage feed ${outageSeconds}s ${Date.now()}`, kind: 'http', schema: READING_SCHEMA, gatePolicy: 'warn',
      config: { url: feed.url, itemsPath: 'items', retries: 0 },
    });
    const loop = await post(app, '/api/v1/loops', {
      name: `outage ${outageSeconds}s`, kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' },
      actionTarget: { type: 'webhook', url: erp.url, timeoutSeconds: 5, maxAttempts: 5 },
      params: { bound: 90, source: { sourceId: source.id, series: SERIES } },
    });
    await post(app, `/api/v1/loops/${loop.id}/runs`, {});
    await feed.held;
    const runId = ((await app.http().get(`/api/v1/runs?loopId=${loop.id}`).set(admin)).body as { id: string }[])[0]!.id;
    await db.stop();
    feed.release();
    await sleep(outageSeconds * 1000);
    await db.start();
    const back = Date.now();
    let run: RunView;
    for (;;) {
      run = (await app.http().get(`/api/v1/runs/${runId}`).set(admin)).body as RunView;
      if (run.status === 'completed' || run.status === 'failed') break;
      await sleep(250);
    }
    const done = Date.now();
    const abandoned = run.steps.find((s) => s.stage === 'collect' && s.status === 'abandoned');
    const keys = run.decisions.map((d) => d.idempotencyKey ?? `decision-${d.id}`);
    const perKey = keys.map((k) => erp.deliveries.filter((d) => d.key === k).length);
    return {
      outageSeconds, status: run.status, completeAfterRecoverySeconds: round((done - back) / 1000),
      collectAttemptsWithoutPostgres: abandoned ? abandoned.detail.attempts.to - abandoned.detail.attempts.from + 1 : 0,
      abandonedNote: abandoned?.error ?? null, decisions: run.decisions.length,
      deliveries: perKey.reduce((a, b) => a + b, 0), distinctKeys: new Set(keys).size, maxDeliveriesPerKey: Math.max(0, ...perKey),
    };
  } finally {
    await feed.close();
  }
}

interface RunView {
  status: string;
  steps: { stage: string; status: string; error: string | null; detail: { attempts: { from: number; to: number } } }[];
  decisions: { id: string; idempotencyKey: string | null }[];
}

async function post(app: TestApi, url: string, body: Record<string, unknown>): Promise<Record<string, unknown> & { id: string }> {
  const res = await app.http().post(url).set(bearer(app.adminKey)).send(body);
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown> & { id: string };
}

function printTable(results: Outcome[]): void {
  const rows = results.map((r) => `| ${r.outageSeconds} s | ${r.status} | ${r.completeAfterRecoverySeconds} s | ${r.collectAttemptsWithoutPostgres} | ${r.decisions} | ${r.deliveries} | ${r.maxDeliveriesPerKey} |`);
  process.stdout.write(['| outage | run | complete after Postgres back | collect attempts without Postgres | decisions | deliveries | max per key |',
    '|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 10) / 10;

runBench(main, stopAll, log);
