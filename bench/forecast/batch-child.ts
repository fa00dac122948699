/**
 * Child process of bench/forecast: one `forecastBatch` over N perturbed series in a fresh process,
 * so the peak RSS it reports belongs to the batch and not to the rest of the bench. Prints JSON.
 *   node --expose-gc -r ./tools/register.js bench/forecast/batch-child.ts <count>
 */
import v8 from 'node:v8';
import { forecastBatch } from '@opsloop/analytics';
import { batchRequests } from './batch-series';
import { analyticsDigest } from './report';
import { loadSeries } from './series-file';

const MiB = 2 ** 20;
const WARMUP = 200;

interface Memory {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
}

function memory(): Memory {
  const m = process.memoryUsage();
  return { rssMiB: m.rss / MiB, heapUsedMiB: m.heapUsed / MiB, heapTotalMiB: m.heapTotal / MiB };
}

/** Samples memory on a timer; only sees the middle of the batch if forecastBatch yields. */
function startSampler(): { stop(): Memory } {
  const peak = memory();
  const sample = () => {
    const m = memory();
    peak.rssMiB = Math.max(peak.rssMiB, m.rssMiB);
    peak.heapUsedMiB = Math.max(peak.heapUsedMiB, m.heapUsedMiB);
    peak.heapTotalMiB = Math.max(peak.heapTotalMiB, m.heapTotalMiB);
  };
  const timer = setInterval(sample, 10);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

async function main(): Promise<void> {
  const digest = analyticsDigest();
  const count = Number(process.argv[2] ?? 10_000);
  const series = loadSeries().series;
  // Warm-up on other perturbations than the measured ones (indices past the batch).
  await forecastBatch(batchRequests(series, count + WARMUP).slice(count));
  const requests = batchRequests(series, count);
  (globalThis as { gc?: () => void }).gc?.();
  const before = memory();
  const sampler = startSampler();
  const started = performance.now();
  const results = await forecastBatch(requests);
  const ms = performance.now() - started;
  const peakSampled = sampler.stop();
  const after = memory(); // results still referenced here
  const report = {
    count,
    resultCount: results.length,
    ms,
    seriesPerSecond: (count / ms) * 1000,
    before,
    after,
    peakSampled,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    heapCommittedMiB: v8.getHeapStatistics().total_heap_size / MiB,
    methods: countBy(results, (r) => r.method),
    fallbacks: results.filter((r) => Boolean(r.fallback)).length,
    analyticsDigest: digest,
  };
  process.stdout.write(JSON.stringify(report));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
