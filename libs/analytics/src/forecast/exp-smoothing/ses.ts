/**
 * Simple exponential smoothing (level only, flat forecasts). Alpha is fitted by minimising the
 * in-sample one-step SSE; the initial level is the SSE-optimal one for that alpha.
 */
import { FitOptions, FittedModel, ForecastMethod } from '../types';
import { solveInitialStates } from './initial-states';
import { minimize } from './optimize';
import { requireHorizon, requireSeries, SMOOTHING_BOUNDS } from './series';

/** Runs the level recursion, writing one-step forecasts; returns the final level. */
function runSes(y: ArrayLike<number>, alpha: number, level0: number, fitted: Float64Array): number {
  let level = level0;
  for (let t = 0; t < fitted.length; t++) {
    fitted[t] = level;
    level += alpha * (y[t] - level);
  }
  return level;
}

export const ses: ForecastMethod = (values: readonly number[], _options: FitOptions = {}): FittedModel => {
  const y = requireSeries(values, 2, 'ses');
  const statesFor = (alpha: number) =>
    solveInitialStates((ys, init, out) => runSes(ys, alpha, init[0], out), y, 1);
  const box = { lower: [SMOOTHING_BOUNDS[0]], upper: [SMOOTHING_BOUNDS[1]] };
  const best = minimize(([alpha]) => statesFor(alpha).sse, [[0.1], [0.3], [0.6], [0.9]], box);
  const alpha = best.x[0];
  const level0 = statesFor(alpha).init[0];
  const fitted = new Float64Array(y.length);
  const level = runSes(y, alpha, level0, fitted);
  return {
    method: 'ses',
    params: { alpha, level0 },
    fitted: Array.from(fitted),
    forecast(horizon: number): number[] {
      requireHorizon(horizon);
      return new Array<number>(horizon).fill(level);
    },
  };
};
