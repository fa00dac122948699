/**
 * Holt's linear-trend exponential smoothing, damped ('holt-damped', phi fitted in [0.8, 0.98])
 * and undamped ('holt', phi = 1). Weights are fitted by minimising the in-sample one-step SSE;
 * the initial level and trend are the SSE-optimal ones for those weights.
 */
import { FitOptions, FittedModel, ForecastMethod } from '../types';
import { solveInitialStates } from './initial-states';
import { Box, minimize } from './optimize';
import { dampedSteps, DAMPING_BOUNDS, requireHorizon, requireSeries, SMOOTHING_BOUNDS } from './series';

interface HoltWeights {
  alpha: number;
  beta: number;
  phi: number;
}

/** Runs the level/trend recursion, writing one-step forecasts; returns the final [level, trend]. */
function runHolt(y: ArrayLike<number>, w: HoltWeights, init: readonly number[], fitted: Float64Array): [number, number] {
  let level = init[0];
  let trend = init[1];
  for (let t = 0; t < fitted.length; t++) {
    const f = level + w.phi * trend;
    fitted[t] = f;
    const next = f + w.alpha * (y[t] - f);
    trend = w.beta * (next - level) + (1 - w.beta) * w.phi * trend;
    level = next;
  }
  return [level, trend];
}

function fitHolt(values: readonly number[], method: string, damped: boolean): FittedModel {
  // Four points: two pin the initial states, the rest are what the weights are judged on.
  const y = requireSeries(values, 4, method);
  const toWeights = (x: readonly number[]): HoltWeights => ({ alpha: x[0], beta: x[1], phi: damped ? x[2] : 1 });
  const statesFor = (w: HoltWeights) => solveInitialStates((ys, init, out) => runHolt(ys, w, init, out), y, 2);
  const [lo, hi] = SMOOTHING_BOUNDS;
  const box: Box = damped
    ? { lower: [lo, lo, DAMPING_BOUNDS[0]], upper: [hi, hi, DAMPING_BOUNDS[1]] }
    : { lower: [lo, lo], upper: [hi, hi] };
  const phiStart = damped ? [0.95] : [];
  const starts = [[0.2, 0.05], [0.5, 0.1], [0.8, 0.3], [0.3, 0.01]].map((s) => [...s, ...phiStart]);
  const weights = toWeights(minimize((x) => statesFor(toWeights(x)).sse, starts, box).x);
  const { init } = statesFor(weights);
  const fitted = new Float64Array(y.length);
  const [level, trend] = runHolt(y, weights, init, fitted);
  return {
    method,
    params: { ...weights, level0: init[0], trend0: init[1] },
    fitted: Array.from(fitted),
    forecast(horizon: number): number[] {
      requireHorizon(horizon);
      return Array.from({ length: horizon }, (_, i) => level + dampedSteps(weights.phi, i + 1) * trend);
    },
  };
}

export const holtDamped: ForecastMethod = (values: readonly number[], _options: FitOptions = {}) =>
  fitHolt(values, 'holt-damped', true);

export const holt: ForecastMethod = (values: readonly number[], _options: FitOptions = {}) =>
  fitHolt(values, 'holt', false);
