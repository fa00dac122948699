/**
 * MASE as in the M4 competition, used for both sides so they are scored identically: the mean
 * absolute forecast error over the holdout, divided by the in-sample mean absolute error of the
 * seasonal naive forecast with lag = the series frequency (plain naive for yearly data).
 */
export function naiveScale(train: readonly number[], frequency: number): number {
  const lag = Math.max(1, frequency);
  let sum = 0;
  for (let t = lag; t < train.length; t++) sum += Math.abs(train[t]! - train[t - lag]!);
  return sum / (train.length - lag);
}

/** NaN when the forecast is missing or the training part has no naive error to scale by. */
export function mase(train: readonly number[], actual: readonly number[], point: readonly number[], frequency: number): number {
  if (point.length !== actual.length || point.some((p) => !Number.isFinite(p))) return Number.NaN;
  const scale = naiveScale(train, frequency);
  if (!(scale > 0)) return Number.NaN;
  const mae = actual.reduce((acc, a, i) => acc + Math.abs(a - point[i]!), 0) / actual.length;
  return mae / scale;
}
