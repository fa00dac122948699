/**
 * Seasonal adjustment around a non-seasonal method (SES, Holt, Theta, ...): the series is
 * divided by classical-decomposition indices (or has them subtracted when it is not positive),
 * the inner method forecasts the adjusted series, and its forecasts are re-seasonalised.
 *
 * Why a test first: adjusting a series that has no real season only adds the noise of m
 * estimated indices, so (as in the M4 benchmarks) the series is adjusted only when its
 * autocorrelation at the season lag is significant at 90%.
 */
import { Fit, ModelSpec } from '../model';
import { IndexKind, seasonalIndices } from './seasonal-indices';

const T_CRIT_90 = 1.645;

/** Sample autocorrelations at lags 1..maxLag. */
function autocorrelations(y: Float64Array, maxLag: number): Float64Array {
  const n = y.length;
  let sum = 0;
  let sumSquares = 0;
  for (let t = 0; t < n; t++) {
    sum += y[t];
    sumSquares += y[t] * y[t];
  }
  const mean = sum / n;
  let den = 0;
  for (let t = 0; t < n; t++) den += (y[t] - mean) ** 2;
  const acf = new Float64Array(maxLag + 1);
  // A (numerically) constant series has no autocorrelation; rounding in the mean must not invent one.
  if (!(den > 1e-20 * sumSquares)) return acf;
  for (let lag = 1; lag <= maxLag; lag++) {
    let num = 0;
    for (let t = 0; t + lag < n; t++) num += (y[t] - mean) * (y[t + lag] - mean);
    acf[lag] = num / den;
  }
  return acf;
}

/** True when the lag-m autocorrelation exceeds its 90% band (Bartlett's variance). */
export function isSeasonal(y: Float64Array, m: number): boolean {
  if (!Number.isInteger(m) || m < 2 || y.length < 2 * m) return false;
  const acf = autocorrelations(y, m);
  let sumSquares = 0;
  for (let lag = 1; lag < m; lag++) sumSquares += acf[lag] ** 2;
  const limit = T_CRIT_90 * Math.sqrt((1 + 2 * sumSquares) / y.length);
  return Math.abs(acf[m]) > limit;
}

interface Adjustment {
  kind: IndexKind;
  indices: Float64Array;
}

function adjustmentFor(y: Float64Array, m: number): Adjustment | null {
  if (!isSeasonal(y, m)) return null;
  const kind: IndexKind = y.every((v) => v > 0) ? 'multiplicative' : 'additive';
  return { kind, indices: seasonalIndices(y, m, kind) };
}

function deseasonalise(y: Float64Array, a: Adjustment): Float64Array {
  const m = a.indices.length;
  return y.map((v, t) => (a.kind === 'multiplicative' ? v / a.indices[t % m] : v - a.indices[t % m]));
}

function adjustedFit(inner: Fit, a: Adjustment): Fit {
  const m = a.indices.length;
  return {
    method: inner.method,
    params: { ...inner.params, seasonPeriod: m },
    warm: inner.warm,
    roll(y, first, h, out) {
      inner.roll(deseasonalise(y, a), first, h, out);
      const rows = y.length - first + 1;
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < h; k++) {
          const s = a.indices[(first + r + k) % m];
          const i = r * h + k;
          out[i] = a.kind === 'multiplicative' ? out[i] * s : out[i] + s;
        }
      }
    },
  };
}

/** `inner` applied to the seasonally adjusted series when the series shows its season. */
export function seasonallyAdjusted(inner: ModelSpec): ModelSpec {
  return {
    name: inner.name,
    fit(y, m, warm) {
      const a = adjustmentFor(y, m);
      if (!a) {
        const fit = inner.fit(y, 1, warm);
        return { ...fit, params: { ...fit.params, seasonPeriod: 1 } };
      }
      return adjustedFit(inner.fit(deseasonalise(y, a), 1, warm), a);
    },
  };
}
