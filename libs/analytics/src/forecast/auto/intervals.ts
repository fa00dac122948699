/**
 * Prediction intervals from the backtest: at each step ahead, the root mean squared error the
 * chosen method made at that step from the rolling origins. Where a step has too few backtest
 * errors to estimate a spread, the model's one-step residual variance grown linearly with the
 * step stands in. The spread is made non-decreasing in the step: uncertainty does not shrink
 * the further out we look, and noisy far-step estimates must not make the band pinch.
 */
import { HorizonErrors } from './backtest';

export type IntervalSource = 'backtest' | 'residual-variance' | 'mixed';

export interface Band {
  lower: number[];
  upper: number[];
  source: IntervalSource;
  /** Steps whose spread came from backtest errors (the first ones). */
  backtestSteps: number;
}

/** Fewer errors than this at a step and its RMSE is too noisy to stand for a spread. */
export const MIN_ERRORS_PER_STEP = 5;

const Z: Record<number, number> = { 0.8: 1.2815515655446004, 0.95: 1.959963984540054 };

export function zFor(level: number): number {
  const z = Z[level];
  if (z === undefined) throw new RangeError(`unsupported interval level ${level}`);
  return z;
}

function spreads(horizon: number, errors: HorizonErrors | null, residualVariance: number): { sd: Float64Array; backtestSteps: number } {
  const sd = new Float64Array(horizon);
  let backtestSteps = 0;
  const oneStep = Number.isFinite(residualVariance) ? residualVariance : 0;
  for (let k = 0; k < horizon; k++) {
    const count = errors && k < errors.count.length ? errors.count[k] : 0;
    if (errors && count >= MIN_ERRORS_PER_STEP && k === backtestSteps) {
      sd[k] = Math.sqrt(errors.sumSq[k] / count);
      backtestSteps++;
    } else {
      sd[k] = Math.sqrt(oneStep * (k + 1));
    }
    if (k > 0 && sd[k] < sd[k - 1]) sd[k] = sd[k - 1];
  }
  return { sd, backtestSteps };
}

/** `errors` and `residualVariance` are in units of `unit` (the caller's scaling of the series). */
export function predictionBand(point: ArrayLike<number>, level: number, errors: HorizonErrors | null, residualVariance: number, unit = 1): Band {
  const z = zFor(level) * unit;
  const { sd, backtestSteps } = spreads(point.length, errors, residualVariance);
  const lower: number[] = [];
  const upper: number[] = [];
  for (let k = 0; k < point.length; k++) {
    lower.push(point[k] - z * sd[k]);
    upper.push(point[k] + z * sd[k]);
  }
  const source: IntervalSource = backtestSteps === point.length ? 'backtest' : backtestSteps === 0 ? 'residual-variance' : 'mixed';
  return { lower, upper, source, backtestSteps };
}
