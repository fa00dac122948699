/**
 * The benchmark plan: match the bare workflow to the engine's activity count, warm up, then
 * several rounds of latency and throughput, and the median of each figure across rounds.
 */
import os from 'node:os';
import { LoopInstance } from '@opsloop/domain';
import type { BenchWorker } from './bench-worker';
import type { BenchInfra } from './infra';
import { CpuUse, measureCpu } from './cpu';
import { DbCounters, dbCounters, DbSample, sampleDuring } from './db-sampler';
import { KINDS, latencyRound, LatencyRound, throughput, Throughput } from './measure';
import { createBenchLoop, HistoryCounts, matchActivityCounts, RunKind, RunOnce, runners } from './runs';
import { ActivityStats, Distribution, median, round } from './stats';

export interface BenchConfig {
  rounds: number;
  warmupRuns: number;
  latencyRuns: number;
  throughput: { concurrency: number; runs: number }[];
  /** The ≤ engine/bare ratio the issue asks for. */
  targetRatio: number;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const count = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive whole number, got "${text}"`);
    return n;
  };
  const int = (name: string, fallback: number) => (env[name] ? count(name, env[name]) : fallback);
  // "concurrency:runs,...", e.g. the default "1:20,10:100,100:200".
  const throughput = (env.BENCH_THROUGHPUT ?? '1:20,10:100,100:200').split(',').map((pair) => {
    const [concurrency, runs] = pair.split(':');
    return { concurrency: count('BENCH_THROUGHPUT', concurrency), runs: count('BENCH_THROUGHPUT', runs) };
  });
  return { rounds: int('BENCH_ROUNDS', 3), warmupRuns: int('BENCH_WARMUP_RUNS', 20), latencyRuns: int('BENCH_LATENCY_RUNS', 30), throughput, targetRatio: 3 };
}

export interface RoundResult {
  loadAverage: { start: number; end: number };
  latency: LatencyRound;
  throughput: Record<RunKind, Throughput[]>;
  /** Activity body times per phase (`latency`, `engine@100`, ...). */
  activityMs: Record<string, Record<string, ActivityStats>>;
  /** The worker's Postgres connections during each engine throughput phase. */
  db: Record<string, DbSample>;
  cpu: Record<string, CpuUse>;
}

export interface BenchSummary {
  latency: { engine: Distribution; bare: Distribution; ratio: number; targetMet: boolean };
  throughput: { concurrency: number; engineRunsPerSecond: number; bareRunsPerSecond: number; engineMedianMs: number; bareMedianMs: number }[];
}

export interface BenchResult {
  config: BenchConfig;
  loop: LoopInstance;
  history: Record<RunKind, HistoryCounts>;
  /** Commits and WAL fsyncs one engine run costs Postgres (bare runs touch no database). */
  dbPerEngineRun: DbCounters;
  rounds: RoundResult[];
  summary: BenchSummary;
}

export async function benchmark(w: BenchWorker, infra: BenchInfra, cfg: BenchConfig, log: (l: string) => void): Promise<BenchResult> {
  const loop = await createBenchLoop(w);
  const history = await matchActivityCounts(w, loop);
  log(`one engine run schedules ${history.engine.activities} activities; the bare workflow runs as many`);
  const run = runners(w, loop, history.engine.activities);
  for (const kind of KINDS) for (let i = 0; i < cfg.warmupRuns; i++) await run[kind]();
  const dbPerEngineRun = await dbCostPerRun(infra.databaseUrl, run.engine, 20);
  const rounds: RoundResult[] = [];
  for (let r = 0; r < cfg.rounds; r++) {
    log(`round ${r + 1}/${cfg.rounds}`);
    rounds.push(await oneRound(w, infra, run, cfg, r));
  }
  return { config: cfg, loop, history, dbPerEngineRun, rounds, summary: summarize(rounds, cfg) };
}

async function oneRound(w: BenchWorker, infra: BenchInfra, run: Record<RunKind, RunOnce>, cfg: BenchConfig, r: number): Promise<RoundResult> {
  const start = os.loadavg()[0]!;
  w.timings.reset();
  const sequential = await measureCpu(infra.processes, () => latencyRound(run, cfg.latencyRuns));
  const latency = sequential.result;
  const activityMs: RoundResult['activityMs'] = { latency: w.timings.summary() };
  const db: RoundResult['db'] = {};
  const cpu: RoundResult['cpu'] = { latency: sequential.cpu };
  const tp: Record<RunKind, Throughput[]> = { engine: [], bare: [] };
  for (const { concurrency, runs } of cfg.throughput) {
    // Alternate which kind goes first from round to round.
    for (const kind of r % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      const phase = `${kind}@${concurrency}`;
      w.timings.reset();
      const phaseRuns = () => throughput(run[kind], concurrency, runs);
      const measured = await measureCpu(infra.processes, () => sampleDuring(infra.databaseUrl, 100, phaseRuns));
      tp[kind].push(measured.result.result);
      if (kind === 'engine') db[phase] = measured.result.db;
      cpu[phase] = measured.cpu;
      activityMs[phase] = w.timings.summary();
    }
  }
  return { loadAverage: { start, end: os.loadavg()[0]! }, latency, throughput: tp, activityMs, db, cpu };
}

// Postgres flushes a backend's statistics at most every second and an idle one's within 10 s.
const STATS_FLUSH_MS = 11_000;

async function dbCostPerRun(databaseUrl: string, engine: RunOnce, runs: number): Promise<DbCounters> {
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const before = await dbCounters(databaseUrl);
  for (let i = 0; i < runs; i++) await engine();
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const after = await dbCounters(databaseUrl);
  return { commits: round((after.commits - before.commits) / runs, 1), walSyncs: round((after.walSyncs - before.walSyncs) / runs, 1) };
}

function summarize(rounds: RoundResult[], cfg: BenchConfig): BenchSummary {
  const med = (pick: (r: RoundResult) => number) => round(median(rounds.map(pick)));
  const dist = (kind: RunKind): Distribution => ({
    n: rounds.reduce((s, r) => s + r.latency[kind].n, 0),
    medianMs: med((r) => r.latency[kind].medianMs),
    p95Ms: med((r) => r.latency[kind].p95Ms),
    maxMs: Math.max(...rounds.map((r) => r.latency[kind].maxMs)),
  });
  const ratio = med((r) => r.latency.ratio);
  return {
    latency: { engine: dist('engine'), bare: dist('bare'), ratio, targetMet: ratio <= cfg.targetRatio },
    throughput: cfg.throughput.map(({ concurrency }, i) => ({
      concurrency,
      engineRunsPerSecond: med((r) => r.throughput.engine[i]!.runsPerSecond),
      bareRunsPerSecond: med((r) => r.throughput.bare[i]!.runsPerSecond),
      engineMedianMs: med((r) => r.throughput.engine[i]!.latency.medianMs),
      bareMedianMs: med((r) => r.throughput.bare[i]!.latency.medianMs),
    })),
  };
}
