/**
 * The two measurements: per-run latency of sequential runs (engine and bare interleaved, so a
 * busy machine slows both alike) and closed-loop throughput at a fixed concurrency.
 */
import { performance } from 'node:perf_hooks';
import type { RunKind, RunOnce } from './runs';
import { distribution, Distribution, round } from './stats';

export const KINDS: readonly RunKind[] = ['engine', 'bare'];

export interface LatencyRound {
  engine: Distribution;
  bare: Distribution;
  /** engine median / bare median */
  ratio: number;
}

export interface Throughput {
  concurrency: number;
  runs: number;
  seconds: number;
  runsPerSecond: number;
  /** Start-to-result time of each run under this load. */
  latency: Distribution;
}

async function timed(run: RunOnce): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function latencyRound(run: Record<RunKind, RunOnce>, runsEach: number): Promise<LatencyRound> {
  const samples: Record<RunKind, number[]> = { engine: [], bare: [] };
  for (let i = 0; i < runsEach; i++) {
    const order = i % 2 === 0 ? KINDS : [...KINDS].reverse();
    for (const kind of order) samples[kind].push(await timed(run[kind]));
  }
  const engine = distribution(samples.engine);
  const bare = distribution(samples.bare);
  return { engine, bare, ratio: round(engine.medianMs / bare.medianMs) };
}

/** `concurrency` lanes each start the next run as soon as their last one finished, until `total` ran. */
export async function throughput(run: RunOnce, concurrency: number, total: number): Promise<Throughput> {
  const latencies: number[] = [];
  let started = 0;
  const lane = async () => {
    while (started < total) {
      started += 1;
      latencies.push(await timed(run));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - t0) / 1000;
  return { concurrency, runs: latencies.length, seconds: round(seconds), runsPerSecond: round(latencies.length / seconds), latency: distribution(latencies) };
}
