/**
 * The opsloop side of bench/forecast: `forecast({method: 'auto'})` per series, in this process,
 * timed per call after a warm-up pass so V8 has compiled the hot paths (as in a long-lived worker).
 */
import { forecast } from '@opsloop/analytics';
import { BenchSeries, training } from './series-file';
import { median } from './stats';

export const LEVEL = 0.95;

export interface OpsSeriesResult {
  name: string;
  /** The method `auto` picked. */
  method: string;
  /** What the API said about falling back (null when it did not). */
  fallback: unknown;
  /** auto's own rolling-origin MASE for the winner; null when it could not backtest. */
  backtestMase: number | null;
  point: number[];
  msMedian: number;
  ms: number[];
  /** Median CPU time (user + system, this process) of the same calls, in ms. */
  cpuMsMedian: number;
  error?: string;
}

export function requestFor(s: BenchSeries, values = training(s)) {
  return { values, horizon: s.horizon, seasonPeriod: s.frequency, method: 'auto' as const, level: LEVEL as 0.95 };
}

interface Timed {
  ms: number;
  cpuMs: number;
  result?: ReturnType<typeof forecast>;
  error?: string;
}

// CPU time as well as wall time: the machine is shared, and CPU time is what the call costs.
function timedForecast(s: BenchSeries): Timed {
  const req = requestFor(s);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const elapsed = () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  try {
    const result = forecast(req);
    return { ...elapsed(), result };
  } catch (err) {
    return { ...elapsed(), error: err instanceof Error ? err.message : String(err) };
  }
}

export function runOpsloop(series: readonly BenchSeries[], repetitions: number): { results: OpsSeriesResult[]; warmupMs: number } {
  const warmStart = performance.now();
  for (const s of series) timedForecast(s);
  const warmupMs = performance.now() - warmStart;
  const ms = series.map(() => [] as number[]);
  const cpuMs = series.map(() => [] as number[]);
  const last: Timed[] = [];
  // Repetitions outermost, as on the R side, so background load spreads over all series.
  for (let r = 0; r < repetitions; r++) {
    series.forEach((s, i) => {
      const t = timedForecast(s);
      ms[i]!.push(t.ms);
      cpuMs[i]!.push(t.cpuMs);
      last[i] = t;
    });
  }
  const results = series.map((s, i): OpsSeriesResult => {
    const t = last[i]!;
    const res = t.result;
    return {
      name: s.name,
      method: res?.method ?? 'error',
      fallback: res?.fallback ?? null,
      backtestMase: res?.backtest?.mase ?? null,
      point: res?.point ?? [],
      msMedian: median(ms[i]!),
      ms: ms[i]!,
      cpuMsMedian: median(cpuMs[i]!),
      ...(t.error ? { error: t.error } : {}),
    };
  });
  return { results, warmupMs };
}
