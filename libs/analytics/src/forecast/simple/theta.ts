/**
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000), in the form Hyndman & Billah
 * (2003) showed it equals: simple exponential smoothing plus a drift of half the OLS trend slope,
 * around a classical deseasonalisation when the series is seasonal. Alpha and the initial level
 * are fitted by least squares (the SES fit); the slope is the OLS slope of the data seen so far.
 */
import { requireLength, requireSeries } from '../exp-smoothing/series';
import { fitLevelWeights } from '../exp-smoothing/ses';
import { Fit, ModelSpec, toFittedModel } from '../model';
import { FitOptions, FittedModel } from '../types';
import { seasonallyAdjusted } from './seasonal-adjust';

/**
 * Half-slope drift h steps past a level built from `count` observations (Hyndman & Billah),
 * written as (1 - (1-a)^n)/a so a tiny alpha tends to n instead of overflowing.
 */
function thetaDrift(slope: number, alpha: number, count: number, h: number): number {
  return 0.5 * slope * (h - 1 + (1 - (1 - alpha) ** count) / alpha);
}

/** Running OLS slope of y against time, updated one point at a time (Welford form, stable). */
class RunningSlope {
  private n = 0;
  private meanX = 0;
  private meanY = 0;
  private sxx = 0;
  private sxy = 0;

  add(x: number, y: number): void {
    this.n++;
    const dx = x - this.meanX;
    this.meanX += dx / this.n;
    this.meanY += (y - this.meanY) / this.n;
    this.sxx += dx * (x - this.meanX);
    this.sxy += dx * (y - this.meanY);
  }

  get slope(): number {
    return this.sxx > 0 ? this.sxy / this.sxx : 0;
  }
}

function rollTheta(y: Float64Array, alpha: number, level0: number, first: number, h: number, out: Float64Array): void {
  const ols = new RunningSlope();
  let level = level0;
  for (let t = 0; t <= y.length; t++) {
    if (t >= first) {
      const row = (t - first) * h;
      const slope = ols.slope;
      for (let k = 0; k < h; k++) out[row + k] = level + thetaDrift(slope, alpha, t, k + 1);
    }
    if (t === y.length) break;
    level += alpha * (y[t] - level);
    ols.add(t + 1, y[t]);
  }
}

function fitTheta(y: Float64Array): Fit {
  requireLength(y.length, 3, 'theta');
  const { alpha, level0 } = fitLevelWeights(y);
  const slope = new RunningSlope();
  y.forEach((v, t) => slope.add(t + 1, v));
  return {
    method: 'theta',
    params: { alpha, level0, slope: slope.slope },
    warm: [alpha],
    roll: (ys, first, h, out) => rollTheta(ys, alpha, level0, first, h, out),
  };
}

export const thetaSpec: ModelSpec = seasonallyAdjusted({ name: 'theta', fit: (y) => fitTheta(y) });

export function theta(values: readonly number[], options: FitOptions = {}): FittedModel {
  const y = requireSeries(values, 3, 'theta');
  return toFittedModel(thetaSpec.fit(y, options.seasonPeriod ?? 1), y);
}
