/**
 * `npm run bench:forecast`: opsloop's `forecast({method: 'auto'})` against R's forecast::ets() on
 * the same M3 series (bench/forecast/series.json), in the same run: accuracy (MASE, M4 convention)
 * and time per series, then a 10,000-series `forecastBatch` for throughput and memory. Prints the
 * tables and writes the raw figures to bench/forecast/last-run.json. Method: bench/RESULTS.md.
 */
import os from 'node:os';
import path from 'node:path';
import { runBatch } from './batch';
import { scoreRows, summaries, verdict } from './compare';
import { runOpsloop } from './opsloop-side';
import { runR } from './r-side';
import { analyticsDigest, describeEnvironment, printReport, writeJson } from './report';
import { loadSeries, SERIES_FILE } from './series-file';

const OUTPUT = path.join(__dirname, 'last-run.json');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function config() {
  return {
    rRepetitions: intEnv('BENCH_FORECAST_R_REPS', 3),
    opsRepetitions: intEnv('BENCH_FORECAST_REPS', 21),
    batchCount: intEnv('BENCH_FORECAST_BATCH', 10_000),
    arima: process.env.BENCH_FORECAST_ARIMA === '1',
  };
}

async function main(): Promise<void> {
  const cfg = config();
  const doc = loadSeries();
  const loadAverageStart = os.loadavg();
  const digest = analyticsDigest();
  // opsloop first: the batch child loads libs/analytics again, and the digest should still hold then.
  log(`${doc.series.length} series; opsloop auto, ${cfg.opsRepetitions} repetitions each`);
  const ops = runOpsloop(doc.series, cfg.opsRepetitions);
  log(`opsloop done; batch of ${cfg.batchCount} in a child process`);
  const batch = await runBatch(cfg.batchCount);
  if (batch.analyticsDigest !== digest) throw new Error('libs/analytics/src/forecast changed during the run; run again');
  log(`batch done; R: ets${cfg.arima ? ' and auto.arima' : ''}, ${cfg.rRepetitions} repetitions each`);
  const r = await runR(SERIES_FILE, cfg.rRepetitions, cfg.arima);
  log(`R done in ${(r.wallMs / 1000).toFixed(1)} s`);
  const rows = scoreRows(doc.series, ops.results, r);
  const result = {
    environment: describeEnvironment(r, loadAverageStart, digest),
    config: { source: doc.source, selection: doc.selection, ...cfg },
    opsWarmupMs: ops.warmupMs,
    rWallMs: r.wallMs,
    summaries: summaries(rows),
    rows,
    batch,
  };
  printReport(result);
  writeJson(OUTPUT, result);
  log(`raw figures in ${path.relative(process.cwd(), OUTPUT)}`);
  const v = verdict(result.summaries[result.summaries.length - 1]!);
  if (!v.accuracyMet || !v.speedMet) log('a target was missed (see above); the bench itself ran fine');
}

main().catch((err: unknown) => {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
