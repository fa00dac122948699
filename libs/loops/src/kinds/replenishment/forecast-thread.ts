/**
 * Runs in a worker thread of the forecast pool: forecasts a slice of items and posts the compact
 * results back. Pure computation; a failing item carries its error instead of stopping the slice.
 */
import { parentPort } from 'node:worker_threads';
import { forecast } from '@opsloop/analytics';
import type { DemandForecastRequest } from '@opsloop/policies';
import { compactForecast, ForecastOutcome } from './compact-forecast';

parentPort?.on('message', (job: { id: number; requests: DemandForecastRequest[] }) => {
  const results: ForecastOutcome[] = job.requests.map((req) => {
    try {
      return compactForecast(forecast(req));
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  });
  parentPort!.postMessage({ id: job.id, results });
});
