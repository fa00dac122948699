/**
 * What callers pass to `forecast` and get back. The input is what the CLI reads (defaults:
 * method auto, level 0.95, season detected); the result adds how the forecast was made.
 */
import { ForecastLevel, ForecastMethodName } from '../request';
import { IntervalSource } from './intervals';

export interface ForecastInput {
  values: readonly number[];
  horizon: number;
  seasonPeriod?: number;
  method?: 'auto' | ForecastMethodName;
  level?: ForecastLevel;
}

export interface BacktestSummary {
  /** Mean over steps ahead of the backtest MAE, over the in-sample (seasonal) naive MAE; null when that scale is 0. */
  mase: number | null;
  /** Forecast origins scored. */
  origins: number;
  /** Backtest MAE at steps 1, 2, ... (as far as the backtest reached). */
  errorsByHorizon?: number[];
}

export interface ForecastResult {
  /** The method that produced `point` (the winner for auto, or the fallback actually used). */
  method: string;
  point: number[];
  lower: number[];
  upper: number[];
  /** Season length used, or null for none. */
  seasonPeriod: number | null;
  /** Null when the series was too short to hold anything out. */
  backtest: BacktestSummary | null;
  /** Why a simpler method than asked for was used, or null. */
  fallback: string | null;
  /** Where the interval widths came from: backtest errors, or residual variance × h where those were too few. */
  intervals: { source: IntervalSource; backtestSteps: number };
}
