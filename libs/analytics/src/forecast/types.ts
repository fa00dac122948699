/**
 * The shape every forecasting method shares. Methods are pure: a series in, a fitted model with
 * point forecasts out. Prediction intervals are added later by `auto` from backtest errors.
 */
export interface FitOptions {
  /** Season length (e.g. 12 for monthly data with a yearly season); 1 or undefined = none. */
  seasonPeriod?: number;
}

export interface FittedModel {
  method: string;
  /** Fitted parameters, for explanations (alpha, beta, phi, ...). */
  params: Record<string, number>;
  /** One-step-ahead in-sample fitted values, same length as the input (NaN where undefined). */
  fitted: number[];
  /** Point forecasts for 1..horizon steps ahead. */
  forecast(horizon: number): number[];
}

export type ForecastMethod = (values: readonly number[], options: FitOptions) => FittedModel;

/** Thrown when a series is too short or otherwise unsuitable for a method; `auto` falls back. */
export class MethodNotApplicable extends Error {
  override readonly name = 'MethodNotApplicable';
}
