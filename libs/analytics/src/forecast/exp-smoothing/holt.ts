/**
 * Holt's linear-trend exponential smoothing, damped ('holt-damped', phi fitted in [0.8, 0.98])
 * and undamped ('holt', phi = 1). Weights are fitted by minimising the in-sample one-step SSE;
 * the initial level and trend are the SSE-optimal ones for those weights.
 */
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, ForecastMethod } from '../types';
import { LevelTrendWeights, optimalStart, rollLevelTrend } from './level-trend';
import { Box, minimize } from './optimize';
import { DAMPING_BOUNDS, FIT_LIMITS, requireLength, requireSeries, SMOOTHING_BOUNDS, startsFor } from './series';

const [LO, HI] = SMOOTHING_BOUNDS;
const UNDAMPED_BOX: Box = { lower: [LO, LO], upper: [HI, HI] };
const DAMPED_BOX: Box = { lower: [LO, LO, DAMPING_BOUNDS[0]], upper: [HI, HI, DAMPING_BOUNDS[1]] };
const STARTS = [[0.2, 0.05], [0.5, 0.1], [0.8, 0.3], [0.3, 0.01]];
const DAMPED_STARTS = STARTS.map((s) => [...s, 0.95]);

// Four points: two pin the initial states, the rest are what the weights are judged on.
const MIN_LENGTH = 4;

function fitHolt(y: Float64Array, damped: boolean, warm?: readonly number[]): Fit {
  const method = damped ? 'holt-damped' : 'holt';
  requireLength(y.length, MIN_LENGTH, method);
  const toWeights = (x: readonly number[]): LevelTrendWeights => ({ alpha: x[0], beta: x[1], phi: damped ? x[2] : 1 });
  const best = minimize(
    (x) => optimalStart(y, toWeights(x), true).sse,
    startsFor(damped ? DAMPED_STARTS : STARTS, warm),
    damped ? DAMPED_BOX : UNDAMPED_BOX,
    FIT_LIMITS,
  );
  const w = toWeights(best.x);
  const start = optimalStart(y, w, true);
  return {
    method,
    params: { ...w, level0: start.level0, trend0: start.trend0 },
    warm: best.x,
    roll: (ys, first, h, out) => rollLevelTrend(ys, w, start, first, h, out),
  };
}

export const holtSpec: ModelSpec = { name: 'holt', fit: (y, _m, warm) => fitHolt(y, false, warm) };
export const holtDampedSpec: ModelSpec = { name: 'holt-damped', fit: (y, _m, warm) => fitHolt(y, true, warm) };

export const holtDamped: ForecastMethod = (values: readonly number[], _options: FitOptions = {}) => {
  const y = requireSeries(values, MIN_LENGTH, 'holt-damped');
  return toFittedModel(fitHolt(y, true), y);
};

export const holt: ForecastMethod = (values: readonly number[], _options: FitOptions = {}) => {
  const y = requireSeries(values, MIN_LENGTH, 'holt');
  return toFittedModel(fitHolt(y, false), y);
};
