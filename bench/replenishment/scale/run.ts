/**
 * `npm run bench:replenishment:scale`: one replenishment loop run (dry-run, record target) over
 * 1,000, 3,000 and 10,000 items with two years of daily demand, on the real stack: embedded
 * Postgres, Temporal dev server, the API and the worker each in a process of their own. Wall time
 * per run and the worker's peak RSS; target under 60 s at 10,000 items, growing close to
 * linearly. Prints the tables; raw figures in bench/replenishment/.scratch/scale/last-run.json.
 *
 * Each size has a database of its own holding exactly that many items (see dataset.ts), with its
 * own API process and task queue. Each round runs every size once, smallest first, each on a
 * fresh worker that first does one unmeasured run over 100 items (a long-lived worker is warm),
 * so memory is per size and a drift in the machine's other load touches every size alike.
 *
 * Knobs: BENCH_SIZES (1000,3000,10000), BENCH_ROUNDS (5), BENCH_LAYOUT (backfill | daily: how the
 * history sits on disk, see demand-copy.ts), BENCH_LOAD_ONLY=1 (build the datasets and stop),
 * DATABASE_URL / TEMPORAL_ADDRESS (existing servers; the bench creates databases there).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '@opsloop/devstack';
import { bundleWorkflows } from '@opsloop/temporal';
import { measureCpu } from '../../engine/cpu';
import { cpuSeconds } from '../../ingest/proc';
import { ApiClient } from './api-client';
import { AppProcess, startApi, startWorker } from '../../support/app-processes';
import { Dataset, dropStaleTemplates, ensureDataset } from './dataset';
import { Layout, LAYOUTS } from './demand-copy';
import { createLoop, timedRun } from './loop-runs';
import { growth, MeasuredRun, summarise, table, TARGET_SECONDS, writeJson } from './report';
import { SCRATCH, Stack, startStack } from './stack';
import { watchMemory } from './worker-memory';
import { runBench } from '../../support/run-bench';

const DAYS = 730;
const WARM_UP_ITEMS = 100;
const RUN_DB_PREFIX = 'scale_run_';
const OUTPUT = path.join(SCRATCH, 'last-run.json');
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const SIZES = [...new Set((process.env.BENCH_SIZES ?? '1000,3000,10000').split(',').map(Number))].sort((a, b) => a - b);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LAYOUT = (process.env.BENCH_LAYOUT ?? 'backfill') as Layout;

/** One size's world: its database copy, its API and task queue, its loops. */
interface Size {
  dataset: Dataset;
  env: Record<string, string>;
  taskQueue: string;
  api: ApiClient;
  db: Client;
  loopId: string;
  warmUpLoopId: string;
  cloneSeconds: number;
}

let stack: Stack | undefined;
let worker: AppProcess | undefined;
const apis: AppProcess[] = [];
const clients: Client[] = [];
const runDatabases: string[] = [];

async function main(): Promise<void> {
  if (SIZES.some((n) => !Number.isInteger(n) || n < WARM_UP_ITEMS)) throw new Error(`BENCH_SIZES must be whole numbers of at least ${WARM_UP_ITEMS}`);
  if (!LAYOUTS.includes(LAYOUT)) throw new Error(`BENCH_LAYOUT must be one of ${LAYOUTS.join(', ')}`);
  log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  stack = await startStack(log);
  await dropStaleTemplates(stack, log);
  const datasets: Dataset[] = [];
  for (const items of SIZES) {
    const d = await ensureDataset(stack, items, DAYS, LAYOUT, log);
    log(`${d.template}: ${JSON.stringify(d.rows)} rows, ${d.firstDay.slice(0, 10)} to ${d.lastDay.slice(0, 10)}, `
      + `${(d.databaseBytes / 2 ** 30).toFixed(2)} GiB, loaded in ${d.loadSeconds.total.toFixed(0)} s (demand COPY ${d.loadSeconds.demandCopy.toFixed(0)} s)`);
    datasets.push(d);
  }
  if (process.env.BENCH_LOAD_ONLY === '1') return;

  const bundle = path.join(SCRATCH, 'workflow-bundle.js');
  fs.writeFileSync(bundle, await bundleWorkflows());
  await dropLeftoverCopies(stack);
  const sizes: Size[] = [];
  for (const dataset of datasets) sizes.push(await prepareSize(stack, dataset, bundle));

  const runs: MeasuredRun[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const size of sizes) {
      // A worker loads the sources on disk when it starts: note which code each run measured.
      const code = codeVersion();
      worker = await startWorker(size.env, { ...stack.temporal, taskQueue: size.taskQueue }, log);
      await timedRun(size.api, size.db, size.warmUpLoopId);
      const run = { ...(await measuredRun(size, stack, worker.pid, round)), code };
      runs.push(run);
      log(`round ${round}, ${run.items} items: ${(run.wallMs / 1000).toFixed(1)} s, worker peak ${run.memory.kernelPeakMiB.toFixed(0)} MiB `
        + `(sampled ${run.memory.sampledPeakMiB.toFixed(0)} at ${run.memory.sampledPeakAtS.toFixed(1)} s), stages ${JSON.stringify(run.stageMs)}, `
        + `act phase ${run.actPhaseMs} ms, decisions ${JSON.stringify(run.decisions)}, cores busy ${JSON.stringify(run.cores)}`);
      await worker.stop();
      worker = undefined;
    }
  }
  report(datasets, sizes, runs, await postgresVersion(sizes[0]!.db));
}

/** A fresh copy of the size's template, its own API on it, and the measured and warm-up loops. */
async function prepareSize(s: Stack, dataset: Dataset, bundle: string): Promise<Size> {
  const database = `${RUN_DB_PREFIX}${dataset.items}_${process.pid}`;
  const admin = await s.admin();
  const started = Date.now();
  try {
    runDatabases.push(database);
    await admin.query(`CREATE DATABASE ${database} TEMPLATE ${dataset.template} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  const cloneSeconds = (Date.now() - started) / 1000;
  log(`copied ${dataset.template} into ${database} in ${cloneSeconds.toFixed(1)} s`);
  const taskQueue = `opsloop-bench-scale-${dataset.items}`;
  const key = `olk_bench-${randomBytes(16).toString('hex')}`;
  const env = {
    DATABASE_URL: s.databaseUrl(database), TEMPORAL_ADDRESS: s.temporal.address, TEMPORAL_NAMESPACE: s.temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue, OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'), OPSLOOP_WORKFLOW_BUNDLE: bundle,
  };
  const apiProcess = await startApi({ ...env, OPSLOOP_ADMIN_KEY: key }, await freePort(), log);
  apis.push(apiProcess);
  const api = new ApiClient(apiProcess.baseUrl, key);
  const db = new Client({ connectionString: env.DATABASE_URL });
  clients.push(db);
  await db.connect();
  return {
    dataset, env, taskQueue, api, db, cloneSeconds,
    loopId: await createLoop(api, dataset, `scale ${dataset.items} items`),
    warmUpLoopId: await createLoop(api, dataset, 'scale warm-up', WARM_UP_ITEMS),
  };
}

async function measuredRun(size: Size, s: Stack, pid: number, round: number): Promise<Omit<MeasuredRun, 'code'>> {
  const memory = watchMemory(pid);
  const cpu0 = cpuSeconds(pid);
  const { result, cpu } = await measureCpu(s.processes, () => timedRun(size.api, size.db, size.loopId));
  const workerCpuSeconds = cpuSeconds(pid) - cpu0;
  const workerCores = workerCpuSeconds / (result.wallMs / 1000);
  return {
    ...result, items: size.dataset.items, round, memory: memory.stop(), workerCpuSeconds,
    cores: {
      worker: workerCores, postgres: cpu.postgres, temporal: cpu.temporalServer, machine: cpu.machine,
      rest: cpu.machine - workerCores - (cpu.postgres ?? 0) - (cpu.temporalServer ?? 0),
    },
  };
}

/** Copies left by an invocation that was killed hard. */
async function dropLeftoverCopies(s: Stack): Promise<void> {
  const admin = await s.admin();
  try {
    const leftovers = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${RUN_DB_PREFIX}%'`);
    for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function postgresVersion(database: Client): Promise<string> {
  return ((await database.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v) ?? 'unknown';
}

function report(datasets: Dataset[], sizes: Size[], runs: MeasuredRun[], pgVersion: string): void {
  const summary = summarise(runs);
  const g = growth(summary);
  process.stdout.write(`${table(summary, g)}\n`);
  const largest = summary.at(-1)!;
  const targetMet = largest.items >= 10_000 ? largest.wallMs.median / 1000 < TARGET_SECONDS : null;
  const verdict = targetMet === null ? 'not judged (the target is for 10,000 items)' : targetMet ? 'met' : 'MISSED';
  log(`${largest.items} items: ${(largest.wallMs.median / 1000).toFixed(1)} s median; ${TARGET_SECONDS} s target ${verdict}`);
  const codes = [...new Set(runs.map((r) => r.code))];
  const code = codes.join(' / ');
  log(codes.length === 1 ? `code under test: ${code}` : `WARNING: the code changed during the bench (${code}); see each run's "code" in the JSON`);
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAfter: os.loadavg() };
  writeJson(OUTPUT, {
    date: new Date().toISOString(), code, machine, postgres: `${pgVersion}, ${stack?.describe.postgres}`, temporal: stack?.describe.temporal,
    datasets, cloneSeconds: sizes.map((s) => ({ items: s.dataset.items, seconds: s.cloneSeconds })), sizes: summary, growth: g, targetMet, runs,
  });
  log(`raw figures in ${path.relative(process.cwd(), OUTPUT)}`);
}

/** The commit measured, and whether the working tree differed from it. */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'apps', 'libs', 'workflows') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in apps/libs/workflows' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

async function stopAll(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.stop().catch((err: unknown) => log(`worker stop failed: ${String(err)}`));
  for (const a of apis.splice(0)) await a.stop().catch((err: unknown) => log(`API stop failed: ${String(err)}`));
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  const s = stack;
  stack = undefined;
  if (!s) return;
  const names = runDatabases.splice(0);
  if (names.length > 0) {
    const admin = await s.admin();
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: unknown) => log(`drop ${name} failed: ${String(err)}`));
    await admin.end();
  }
  await s.stop().catch((err: unknown) => log(`stack stop failed: ${String(err)}`));
}

runBench(main, stopAll, log);
