/**
 * Simple exponential smoothing (level only, flat forecasts). Alpha is fitted by minimising the
 * in-sample one-step SSE; the initial level is the SSE-optimal one for that alpha.
 */
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, FittedModel, ForecastMethod } from '../types';
import { optimalStart, rollLevelTrend } from './level-trend';
import { goldenSectionMinimise } from '../simple/golden-section';
import { requireLength, requireSeries, SMOOTHING_BOUNDS } from './series';

// Forecasts do not move visibly for smaller changes of alpha.
const ALPHA_TOLERANCE = 1e-4;

const levelOnly = (alpha: number) => ({ alpha, beta: 0, phi: 1 });

/**
 * Least-squares alpha and initial level. One weight on a bounded interval: a golden-section
 * search needs about 25 SSE evaluations where a simplex would need over 100.
 */
export function fitLevelWeights(y: Float64Array): { alpha: number; level0: number } {
  const sse = (alpha: number) => optimalStart(y, levelOnly(alpha), false).sse;
  const alpha = goldenSectionMinimise(sse, SMOOTHING_BOUNDS[0], SMOOTHING_BOUNDS[1], ALPHA_TOLERANCE);
  return { alpha, level0: optimalStart(y, levelOnly(alpha), false).level0 };
}

function fitSes(y: Float64Array): Fit {
  requireLength(y.length, 2, 'ses');
  const { alpha, level0 } = fitLevelWeights(y);
  const w = levelOnly(alpha);
  return {
    method: 'ses',
    params: { alpha: w.alpha, level0 },
    warm: [w.alpha],
    roll: (ys, first, h, out) => rollLevelTrend(ys, w, { level0, trend0: 0 }, first, h, out),
  };
}

export const sesSpec: ModelSpec = { name: 'ses', fit: (y) => fitSes(y) };

export const ses: ForecastMethod = (values: readonly number[], _options: FitOptions = {}): FittedModel => {
  const y = requireSeries(values, 2, 'ses');
  return toFittedModel(fitSes(y), y);
};
