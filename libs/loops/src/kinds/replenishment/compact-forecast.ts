/**
 * The part of a forecast the replenishment policy reads, rounded to 1e-4 units: it is stored in
 * the run's evaluate artifact (10,000 items fit in a few MB) and replayed by the decide stage, so
 * the decision and its ledger entry rest on exactly these numbers.
 */
import type { DemandForecastResult } from '@opsloop/policies';

export type ForecastOutcome = DemandForecastResult | { error: string };

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function compactForecast(r: DemandForecastResult): DemandForecastResult {
  return {
    method: r.method,
    point: r.point.map(round),
    lower: r.lower.map(round),
    upper: r.upper.map(round),
    seasonPeriod: r.seasonPeriod ?? null,
    backtest: r.backtest ? { mase: r.backtest.mase === null ? null : round(r.backtest.mase), origins: r.backtest.origins } : null,
    fallback: r.fallback ?? null,
  };
}

export function isForecastError(x: ForecastOutcome): x is { error: string } {
  return 'error' in x;
}
