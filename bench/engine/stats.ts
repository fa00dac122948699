/** Small statistics for the bench: median, nearest-rank percentiles and per-activity timings. */
import { Context } from '@temporalio/activity';

export interface Distribution {
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function distribution(valuesMs: number[]): Distribution {
  return { n: valuesMs.length, medianMs: round(median(valuesMs)), p95Ms: round(percentile(valuesMs, 95)), maxMs: round(percentile(valuesMs, 100)) };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

type AsyncFn = (...args: never[]) => Promise<unknown>;

export interface ActivityStats extends Distribution {
  /** Calls that were a retry (attempt > 1): a failure happened before. */
  retries: number;
}

/**
 * Times each activity body (wall time inside the worker, queueing for a DB connection included)
 * and counts retries, so a slow run can be traced to the activity that is slow.
 */
export class ActivityTimings {
  private samples = new Map<string, number[]>();
  private retries = new Map<string, number>();

  wrap<T extends Record<string, AsyncFn>>(activities: T): T {
    const wrapped: Record<string, AsyncFn> = {};
    for (const [name, fn] of Object.entries(activities)) {
      wrapped[name] = async (...args: never[]) => {
        if (Context.current().info.attempt > 1) this.retries.set(name, (this.retries.get(name) ?? 0) + 1);
        const started = performance.now();
        try {
          return await fn(...args);
        } finally {
          this.record(name, performance.now() - started);
        }
      };
    }
    return wrapped as T;
  }

  reset(): void {
    this.samples.clear();
    this.retries.clear();
  }

  summary(): Record<string, ActivityStats> {
    return Object.fromEntries([...this.samples].map(([name, values]) => [name, { ...distribution(values), retries: this.retries.get(name) ?? 0 }]));
  }

  private record(name: string, ms: number): void {
    const list = this.samples.get(name) ?? [];
    list.push(ms);
    this.samples.set(name, list);
  }
}
