/** What the bench ran on, the readable tables it prints, and the raw figures it writes as JSON. */
import fs from 'node:fs';
import os from 'node:os';
import { DataSource } from 'typeorm';
import type { BenchResult } from './bench';
import { BenchWorker, WORKER_SETTINGS } from './bench-worker';
import type { BenchInfra } from './infra';

/** libs/persistence dataSourceOptions' default pool, which the worker context uses. */
const DB_POOL_SIZE = 10;

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  temporalCli: string;
  temporalServer: string;
  temporal: string;
  postgres: string;
  workerSettings: typeof WORKER_SETTINGS;
  dbPoolSize: number;
}

export async function describeEnvironment(w: BenchWorker, infra: BenchInfra): Promise<Environment> {
  const info = await w.client.workflowService.getSystemInfo({});
  const [pg] = (await w.app.get(DataSource).query('SHOW server_version')) as { server_version: string }[];
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    temporalCli: infra.describe.temporalCli,
    temporalServer: info.serverVersion ?? 'unknown',
    temporal: infra.describe.temporal,
    postgres: `${pg?.server_version ?? '?'}, ${infra.describe.postgres}`,
    workerSettings: WORKER_SETTINGS,
    dbPoolSize: DB_POOL_SIZE,
  };
}

export function writeJson(file: string, env: Environment, result: BenchResult): void {
  fs.writeFileSync(file, `${JSON.stringify({ environment: env, ...result }, null, 2)}\n`);
}

const cols = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i] ?? 10)).join('  ');

export function printReport(env: Environment, r: BenchResult, out: (line: string) => void = console.log): void {
  const s = r.summary;
  out('');
  out(`bench/engine, ${env.date}: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, Node ${env.node}, Temporal server ${env.temporalServer}`);
  out(`Temporal: ${env.temporal}; CLI ${env.temporalCli}`);
  out(`Postgres: ${env.postgres}`);
  out(`engine: noop loop, 1 decision, record target, no approval, no outcome window (${r.history.engine.activities} activities, ${r.history.engine.workflowTasks} workflow tasks, ${r.history.engine.events} events)`);
  out(`bare:   ${r.history.bare.activities} sequential echo activities (${r.history.bare.workflowTasks} workflow tasks, ${r.history.bare.events} events)`);
  out('');
  out(`Latency of sequential runs, start to result (median across ${r.rounds.length} rounds of ${r.config.latencyRuns} runs each)`);
  const w1 = [8, 10, 10];
  out(cols(['', 'median ms', 'p95 ms'], w1));
  out(cols(['engine', s.latency.engine.medianMs, s.latency.engine.p95Ms], w1));
  out(cols(['bare', s.latency.bare.medianMs, s.latency.bare.p95Ms], w1));
  out(`engine/bare (medians): ${s.latency.ratio}x, per round ${r.rounds.map((x) => `${x.latency.ratio}x`).join(', ')}; target <= ${r.config.targetRatio}x: ${s.latency.targetMet ? 'met' : 'NOT met'}`);
  out('');
  out('Throughput, runs per second (median across rounds)');
  const w2 = [11, 11, 11, 12, 16, 16];
  out(cols(['concurrent', 'engine/s', 'bare/s', 'engine/bare', 'engine med ms', 'bare med ms'], w2));
  for (const t of s.throughput) {
    const share = `${Math.round((100 * t.engineRunsPerSecond) / t.bareRunsPerSecond)}%`;
    out(cols([t.concurrency, t.engineRunsPerSecond, t.bareRunsPerSecond, share, t.engineMedianMs, t.bareMedianMs], w2));
  }
  printWhereTimeGoes(r, out);
}

/** Last round: engine activity bodies alone and under the heaviest load, the DB and the CPU then. */
function printWhereTimeGoes(r: BenchResult, out: (line: string) => void): void {
  const last = r.rounds[r.rounds.length - 1];
  if (!last) return;
  const top = r.config.throughput[r.config.throughput.length - 1]!.concurrency;
  out('');
  out(`Activity body, median ms (last round): sequential | at ${top} concurrent`);
  for (const [name, d] of Object.entries(last.activityMs.latency ?? {})) {
    const loaded = last.activityMs[`engine@${top}`]?.[name] ?? last.activityMs[`bare@${top}`]?.[name];
    out(`  ${name.padEnd(20)} ${String(d.medianMs).padStart(8)} | ${String(loaded?.medianMs ?? '-').padStart(8)}`);
  }
  const retries = Object.entries(last.activityMs).flatMap(([phase, acts]) =>
    Object.entries(acts).filter(([, a]) => a.retries > 0).map(([name, a]) => `${phase} ${name} ${a.retries}`));
  out(`Activity retries (last round): ${retries.join(', ') || 'none'}`);
  const slowest = (['engine', 'bare'] as const).flatMap((k) => last.throughput[k].map((t) => `${k}@${t.concurrency} ${Math.round(t.latency.maxMs)}`));
  out(`Slowest single run, ms (last round): ${slowest.join(', ')}`);
  out(`Postgres per engine run: ${r.dbPerEngineRun.commits} commits, ${r.dbPerEngineRun.walSyncs} WAL fsyncs (bare: none)`);
  for (const [phase, db] of Object.entries(last.db)) {
    const waits = Object.entries(db.waitEvents).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `${k} ${n}`).join(', ');
    out(`  during ${phase}: ${db.meanOpen} open, ${db.meanActive} active, ${db.meanIdleInTransaction} idle in tx, ${db.meanLockWaits} on locks (pool ${DB_POOL_SIZE}); waits: ${waits || 'none'}`);
  }
  out('CPU, cores busy (last round): bench process, Temporal server, Postgres / whole machine');
  const show = (x: number | null) => (x === null ? '-' : String(x));
  for (const [phase, c] of Object.entries(last.cpu)) {
    out(`  ${phase.padEnd(12)} ${show(c.benchProcess)}, ${show(c.temporalServer)}, ${show(c.postgres)} / ${show(c.machine)} of ${c.cores}`);
  }
  out(`load average (1 min) per round: ${r.rounds.map((x) => `${x.loadAverage.start.toFixed(1)}→${x.loadAverage.end.toFixed(1)}`).join(', ')}`);
}
