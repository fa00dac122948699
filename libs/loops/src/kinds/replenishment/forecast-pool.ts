/**
 * Forecasts many items on worker threads. One forecast takes a few milliseconds, 10,000 take most
 * of a minute: run on the activity's event loop they would starve heartbeats and every other
 * activity of the worker, and use one core of several. Small runs stay on the calling thread.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { forecast } from '@opsloop/analytics';
import type { DemandForecastRequest } from '@opsloop/policies';
import { compactForecast, ForecastOutcome } from './compact-forecast';

/** Below this many forecasts a thread's start-up (loading the TypeScript sources) costs more than it saves. */
export const INLINE_LIMIT = 300;
const SLICE = 250;
const THREAD_SCRIPT = path.join(__dirname, 'forecast-thread.ts');
// The threads run the TypeScript sources like the apps do; the hook lives at the repo root.
const REGISTER = path.resolve(__dirname, '../../../../../tools/register.js');

/** The worker's pool, sized by FORECAST_THREADS (default one thread per core). */
export class ForecastPool {
  readonly threads: number;

  constructor(threads?: number) {
    this.threads = threads ?? Math.max(1, os.availableParallelism());
  }

  run(requests: DemandForecastRequest[]): Promise<ForecastOutcome[]> {
    return runForecasts(requests, this.threads);
  }
}

export async function runForecasts(requests: DemandForecastRequest[], threads: number): Promise<ForecastOutcome[]> {
  if (requests.length < INLINE_LIMIT || threads <= 1) return requests.map(forecastOne);
  const slices: DemandForecastRequest[][] = [];
  for (let i = 0; i < requests.length; i += SLICE) slices.push(requests.slice(i, i + SLICE));
  const results: ForecastOutcome[][] = new Array(slices.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, slices.length) }, () => new Worker(THREAD_SCRIPT, { execArgv: ['-r', REGISTER] }));
  try {
    await Promise.all(workers.map(async (w) => {
      for (let id = next++; id < slices.length; id = next++) results[id] = await ask(w, id, slices[id]!);
    }));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.flat();
}

function forecastOne(req: DemandForecastRequest): ForecastOutcome {
  try {
    return compactForecast(forecast(req));
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function ask(w: Worker, id: number, requests: DemandForecastRequest[]): Promise<ForecastOutcome[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { id: number; results: ForecastOutcome[] }) => {
      if (msg.id !== id) return;
      cleanup();
      resolve(msg.results);
    };
    const onError = (err: Error) => (cleanup(), reject(err));
    const onExit = (code: number) => (cleanup(), reject(new Error(`forecast thread exited with code ${code}`)));
    const cleanup = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage).on('error', onError).on('exit', onExit);
    w.postMessage({ id, requests });
  });
}
