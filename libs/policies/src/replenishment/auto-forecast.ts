/**
 * The forecaster the shipped policy uses: analytics' `forecast` with method `auto` (which picks
 * the method and the season by rolling-origin backtest and sizes intervals from its errors).
 */
import { forecast } from '@opsloop/analytics';
import { DemandForecaster } from './types';

export const autoDemandForecaster: DemandForecaster = (req) => forecast(req);
