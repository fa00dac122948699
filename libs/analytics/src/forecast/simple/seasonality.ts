/**
 * Season-length detection: picks the candidate lag with the strongest significant
 * autocorrelation in the linearly detrended series, or 1 when nothing is seasonal.
 */
import { linearRegression, mean } from 'simple-statistics';

export const DEFAULT_SEASON_CANDIDATES: readonly number[] = [7, 12, 4, 24, 52];

// The 1.96/sqrt(n) white-noise band alone lets weak cycles through on long series; a fixed
// floor keeps "seasonal" meaning a pattern strong enough to be worth modelling.
const ACF_FLOOR = 0.3;
// Residual variance below this share of the raw variance means the series was a pure trend.
const FLAT_RESIDUAL_SHARE = 1e-9;

function variance(xs: readonly number[]): number {
  const mu = mean(xs);
  return xs.reduce((s, x) => s + (x - mu) ** 2, 0) / xs.length;
}

/** Residuals from the OLS line, so a trend does not masquerade as autocorrelation at every lag. */
function linearDetrend(values: readonly number[]): number[] {
  const { m, b } = linearRegression(values.map((v, i) => [i, v]));
  return values.map((v, i) => v - (m * i + b));
}

/** Biased ACF estimator: it shrinks long lags, so a multiple of the true period never wins. */
function autocorrelation(xs: readonly number[], lag: number): number {
  const mu = mean(xs);
  let num = 0;
  let den = 0;
  xs.forEach((x, t) => {
    den += (x - mu) ** 2;
    if (t + lag < xs.length) num += (x - mu) * (xs[t + lag] - mu);
  });
  return den === 0 ? 0 : num / den;
}

/** A seasonal lag should be a local ACF peak; smooth series otherwise score high at short lags. */
function isLocalPeak(xs: readonly number[], lag: number, acf: number): boolean {
  return acf >= autocorrelation(xs, lag - 1) && acf >= autocorrelation(xs, lag + 1);
}

export function detectSeasonPeriod(
  values: readonly number[],
  candidates: readonly number[] = DEFAULT_SEASON_CANDIDATES,
): number {
  const n = values.length;
  if (n < 4 || values.some((v) => !Number.isFinite(v))) return 1;
  const residuals = linearDetrend(values);
  const rawVariance = variance(values);
  if (rawVariance === 0 || variance(residuals) <= FLAT_RESIDUAL_SHARE * rawVariance) return 1;

  const threshold = Math.max(1.96 / Math.sqrt(n), ACF_FLOOR);
  let best = 1;
  let bestAcf = threshold;
  for (const lag of candidates) {
    if (!Number.isInteger(lag) || lag < 2 || n < 2 * lag) continue;
    const acf = autocorrelation(residuals, lag);
    if (acf > bestAcf && isLocalPeak(residuals, lag, acf)) {
      best = lag;
      bestAcf = acf;
    }
  }
  return best;
}
