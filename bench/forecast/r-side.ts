/** Runs bench/forecast/r-ets.R in a child process (same bench run) and reads its JSON back. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const R_SCRIPT = path.join(__dirname, 'r-ets.R');

export interface RSeriesResult {
  name: string;
  /** forecast's model label, e.g. "ETS(M,Ad,M)". */
  model: string;
  point: number[];
  /** Median over the repetitions of one fit + forecast, in ms. */
  msMedian: number;
  ms: number[];
  /** Median CPU time (user + system) of the same repetitions, in ms (1 ms resolution). */
  cpuMsMedian: number;
}

export interface RRun {
  r: string;
  forecastVersion: string;
  repetitions: number;
  ets: RSeriesResult[];
  arima?: RSeriesResult[];
  /** Wall time of the whole Rscript call, start-up and JSON included. */
  wallMs: number;
}

export async function runR(seriesFile: string, repetitions: number, withArima: boolean): Promise<RRun> {
  const args = [R_SCRIPT, seriesFile, String(repetitions), ...(withArima ? ['arima'] : [])];
  const started = performance.now();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('Rscript', args, { maxBuffer: 256 * 2 ** 20 }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('Rscript not found: apt-get install -y r-cran-forecast r-cran-jsonlite');
    throw new Error(`r-ets.R failed: ${e.stderr?.trim() || e.message}`);
  }
  const run = JSON.parse(stdout) as Omit<RRun, 'wallMs'>;
  return { ...run, wallMs: performance.now() - started };
}
