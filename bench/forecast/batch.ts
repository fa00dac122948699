/** Runs the 10,000-series throughput batch in its own Node process (batch-child.ts) and reads its report. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = path.join(__dirname, '..', '..');

export interface BatchMemory {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
}

export interface BatchReport {
  count: number;
  resultCount: number;
  ms: number;
  seriesPerSecond: number;
  /** After building the requests and a GC, before the batch. */
  before: BatchMemory;
  /** Right after the batch, its results still referenced. */
  after: BatchMemory;
  /** Largest values seen by a 10 ms timer during the batch (and at its ends). */
  peakSampled: BatchMemory;
  /** The child's peak resident set over its whole life (getrusage maxrss). */
  peakRssMiB: number;
  /** V8 heap committed after the batch: V8 has not shrunk it yet, so about the peak heap. */
  heapCommittedMiB: number;
  methods: Record<string, number>;
  fallbacks: number;
  /** libs/analytics/src/forecast digest as the child loaded it. */
  analyticsDigest: string;
}

export async function runBatch(count: number): Promise<BatchReport> {
  const args = ['--expose-gc', '-r', './tools/register.js', path.join('bench', 'forecast', 'batch-child.ts'), String(count)];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 64 * 2 ** 20 });
    return JSON.parse(stdout) as BatchReport;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`batch child failed: ${e.stderr?.trim() || e.message}`);
  }
}
