/** What bench/forecast ran on, its tables (printed as Markdown, ready for bench/RESULTS.md) and its raw JSON. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchReport } from './batch';
import { byMethod, GroupSummary, losses, SeriesRow, TARGET_SPEED_RATIO, verdict } from './compare';
import type { RRun } from './r-side';
import { round } from './stats';

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  r: string;
  forecastVersion: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  /** sha256 of libs/analytics/src/forecast as it was when the run started, so a figure can be tied to the code. */
  analyticsDigest: string;
}

export interface ForecastBenchResult {
  environment: Environment;
  config: { source: string; selection: string; rRepetitions: number; opsRepetitions: number; batchCount: number; arima: boolean };
  opsWarmupMs: number;
  rWallMs: number;
  summaries: GroupSummary[];
  rows: SeriesRow[];
  batch: BatchReport;
}

const FORECAST_SRC = path.join(__dirname, '..', '..', 'libs', 'analytics', 'src', 'forecast');

export function analyticsDigest(dir = FORECAST_SRC): string {
  const hash = createHash('sha256');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const f of files) hash.update(`${f}\0`).update(fs.readFileSync(path.join(dir, f))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

export function describeEnvironment(r: RRun, loadAverageStart: number[], digest: string): Environment {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    r: r.r,
    forecastVersion: r.forecastVersion,
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
    analyticsDigest: digest,
  };
}

export function writeJson(file: string, result: ForecastBenchResult): void {
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '' : Number.isFinite(x) ? String(round(x, digits)) : 'n/a');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function printReport(res: ForecastBenchResult, out: (line: string) => void = console.log): void {
  const e = res.environment;
  const c = res.config;
  out('');
  out(`bench/forecast, ${e.date}: ${e.cpu}, ${e.cores} cores, ${e.memoryGiB} GiB, Node ${e.node}, ${e.r}, forecast ${e.forecastVersion}`);
  out(`libs/analytics/src/forecast sha256 ${e.analyticsDigest} (at start)`);
  out(`load average at start ${e.loadAverageStart.map((x) => x.toFixed(2)).join(' ')}, at end ${e.loadAverageEnd.map((x) => x.toFixed(2)).join(' ')}`);
  out(`series: ${c.selection}`);
  out(`time per series: median of ${c.rRepetitions} (R) and ${c.opsRepetitions} (opsloop) repetitions of fit + forecast`);
  out('');
  printAccuracy(res.summaries, c.arima, out);
  printVerdict(res.summaries, out);
  printMethods(res.rows, out);
  printLosses(res.rows, out);
  printBatch(res.batch, out);
}

function printAccuracy(sums: readonly GroupSummary[], arima: boolean, out: (line: string) => void): void {
  out(row(['', 'series', 'opsloop auto MASE', 'ets MASE', ...(arima ? ['auto.arima MASE'] : []), 'opsloop / ets MASE (geometric mean)', 'opsloop / ets wins', 'opsloop ms (median, mean)', 'ets ms (median, mean)', 'ets / opsloop time', 'on CPU time']));
  out(row(['---', ...Array<string>(arima ? 10 : 9).fill('---:')]));
  for (const s of sums) {
    out(
      row([
        s.group,
        s.n,
        fmt(s.opsMeanMase),
        fmt(s.etsMeanMase),
        ...(arima ? [fmt(s.arimaMeanMase)] : []),
        fmt(s.relativeMase),
        `${s.opsWins} / ${s.etsWins}${s.ties ? ` (${s.ties} ties)` : ''}`,
        `${fmt(s.opsMsMedian, 2)}, ${fmt(s.opsMsMean, 2)}`,
        `${fmt(s.etsMsMedian, 1)}, ${fmt(s.etsMsMean, 1)}`,
        `${fmt(s.speedRatio, 1)}× (per series: median ${fmt(s.perSeriesRatioMedian, 1)}×, min ${fmt(s.perSeriesRatioMin, 1)}×)`,
        `${fmt(s.cpuSpeedRatio, 1)}×`,
      ]),
    );
  }
  out('');
}

function printVerdict(sums: readonly GroupSummary[], out: (line: string) => void): void {
  const all = sums[sums.length - 1]!;
  const v = verdict(all);
  const errors = all.opsErrors ? `; ${all.opsErrors} opsloop errors` : '';
  out(`accuracy target (opsloop mean MASE <= ets): ${fmt(all.opsMeanMase)} vs ${fmt(all.etsMeanMase)}${errors}: ${v.accuracyMet ? 'met' : 'NOT met'}`);
  out(
    `speed target (>= ${TARGET_SPEED_RATIO}x per series): ${fmt(all.speedRatio, 1)}x on mean time per series; ` +
      `${all.seriesUnderTargetRatio} of ${all.n} series individually under ${TARGET_SPEED_RATIO}x: ${v.speedMet ? 'met' : 'NOT met'}`,
  );
  out('');
}

function printMethods(rows: readonly SeriesRow[], out: (line: string) => void): void {
  out('What auto picked, and how those series compare with ets');
  out(row(['period', 'opsloop method', 'series', 'opsloop MASE', 'ets MASE', 'opsloop wins']));
  out(row(['---', '---', '---:', '---:', '---:', '---:']));
  for (const m of byMethod(rows)) out(row([m.period, m.method, m.n, fmt(m.opsMeanMase), fmt(m.etsMeanMase), m.opsWins]));
  const fallbacks = rows.filter((r) => Boolean(r.opsFallback));
  out(`fallbacks reported: ${fallbacks.length}${fallbacks.length ? ` (${fallbacks.map((r) => r.name).join(', ')})` : ''}`);
  out('');
}

function printLosses(rows: readonly SeriesRow[], out: (line: string) => void, top = 12): void {
  const lost = losses(rows);
  out(`Series where opsloop is worse than ets: ${lost.length} of ${rows.length}; the ${Math.min(top, lost.length)} largest gaps`);
  out(row(['series', 'period', 'train n', 'opsloop MASE', 'ets MASE', 'gap', 'opsloop method', 'auto backtest MASE', 'ets model']));
  out(row(['---', '---', '---:', '---:', '---:', '---:', '---', '---:', '---']));
  for (const r of lost.slice(0, top)) {
    out(row([r.name, r.period, r.trainLength, fmt(r.opsMase), fmt(r.etsMase), fmt(r.opsMase - r.etsMase), r.opsError ? `error: ${r.opsError}` : r.opsMethod, fmt(r.opsBacktestMase ?? undefined), r.etsModel]));
  }
  out('');
}

function printBatch(b: BatchReport, out: (line: string) => void): void {
  out(`Batch: forecastBatch over ${b.count} perturbed series (auto, level 0.95) in a fresh process`);
  out(`  ${fmt(b.ms / 1000, 2)} s, ${Math.round(b.seriesPerSecond)} series/s; ${b.resultCount} results; ${b.fallbacks} with a fallback`);
  out(`  peak RSS ${fmt(b.peakRssMiB, 0)} MiB (before the batch ${fmt(b.before.rssMiB, 0)} MiB, right after ${fmt(b.after.rssMiB, 0)} MiB)`);
  out(
    `  V8 heap used ${fmt(b.before.heapUsedMiB, 0)} -> ${fmt(b.after.heapUsedMiB, 0)} MiB (results held), sampled peak ${fmt(b.peakSampled.heapUsedMiB, 0)} MiB, ` +
      `heap committed after ${fmt(b.heapCommittedMiB, 0)} MiB`,
  );
  out(`  methods picked: ${Object.entries(b.methods).map(([m, n]) => `${m} ${n}`).join(', ')}`);
}
