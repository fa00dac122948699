/**
 * `forecast` and `forecastBatch`: the public entry points. `auto` backtests every candidate on
 * the same rolling origins, keeps the lowest MASE, refits the winner on the whole series and
 * sizes its prediction intervals from its own backtest errors. A named method is fitted as asked,
 * or, on a series it cannot handle, the next simpler method is, and `fallback` says why.
 */
import { detectSeasonPeriod } from '../simple/seasonality';
import { Fit, forecastEnd, residualMse } from '../model';
import { checkForecastBatch, checkForecastRequest, ForecastMethodName, ForecastRequest } from '../request';
import { MethodNotApplicable } from '../types';
import { BacktestPlan, horizonErrors, maeByHorizon, maseScale, meanAbsoluteError, planBacktest, Trial } from './backtest';
import { autoCandidates, fitFinal, TrialCache } from './candidates';
import { predictionBand } from './intervals';
import { SIMPLER } from './registry';
import { ForecastInput, ForecastResult } from './result';

const notApplicable = (err: unknown): boolean => err instanceof MethodNotApplicable;

interface Choice {
  method: ForecastMethodName;
  fit: Fit;
  trial: Trial | null;
  fallback: string | null;
}

interface Context {
  /** The series divided by `unit`. */
  y: Float64Array;
  unit: number;
  m: number;
  plan: BacktestPlan | null;
  cache: TrialCache | null;
}

function seasonFor(req: ForecastRequest): number {
  return req.seasonPeriod ?? detectSeasonPeriod(req.values);
}

/** Candidates ranked by backtest MASE (ties keep candidate order); unscorable ones dropped. */
function ranked(ctx: Context, cache: TrialCache): { method: ForecastMethodName; trial: Trial; error: number }[] {
  const plan = ctx.plan as BacktestPlan;
  const scored = autoCandidates(ctx.y, ctx.m).flatMap((method) => {
    const trial = cache.get(method);
    if (!trial) return [];
    const error = meanAbsoluteError(horizonErrors(ctx.y, plan, trial.matrix));
    return Number.isFinite(error) ? [{ method, trial, error }] : [];
  });
  return scored.sort((a, b) => a.error - b.error);
}

function chooseAuto(ctx: Context): Choice {
  if (!ctx.cache) {
    const choice = chooseNamed(ctx, 'ses');
    const why = `auto: ${ctx.y.length} values are too few for a backtest; used ${choice.method} without comparing methods`;
    return { ...choice, fallback: why };
  }
  for (const { method, trial } of ranked(ctx, ctx.cache)) {
    try {
      return { method, fit: fitFinal(method, ctx.y, ctx.m, ctx.cache), trial, fallback: null };
    } catch (err) {
      // The whole series can break what its prefix allowed (a later zero for a multiplicative model).
      if (!notApplicable(err)) throw err;
    }
  }
  return { ...chooseNamed(ctx, 'naive'), fallback: 'auto: no method could be backtested on this series; used naive' };
}

/** The requested method, or the first simpler one the series supports. */
function chooseNamed(ctx: Context, requested: ForecastMethodName): Choice {
  const reasons: string[] = [];
  for (let method: ForecastMethodName | null = requested; method !== null; method = SIMPLER[method]) {
    try {
      const trial = ctx.cache?.get(method) ?? null;
      const fit = fitFinal(method, ctx.y, ctx.m, ctx.cache);
      const fallback = reasons.length > 0 ? `${reasons.join('; ')}; used ${method}` : null;
      return { method, fit, trial, fallback };
    } catch (err) {
      if (!notApplicable(err)) throw err;
      const message = (err as Error).message;
      // A combination fails through a member; keep the name that was asked for in the story.
      reasons.push(message.startsWith(method) ? message : `${method}: ${message}`);
    }
  }
  throw new Error(`no forecasting method applies to this series: ${reasons.join('; ')}`);
}

function resultFor(ctx: Context, choice: Choice, req: ForecastRequest): ForecastResult {
  const point = forecastEnd(choice.fit, ctx.y, req.horizon).map((v) => v * ctx.unit);
  const errors = choice.trial && ctx.plan ? horizonErrors(ctx.y, ctx.plan, choice.trial.matrix) : null;
  const scale = maseScale(ctx.y, ctx.m);
  const band = predictionBand(point, req.level, errors?.finite ? errors : null, residualMse(choice.fit, ctx.y), ctx.unit);
  return {
    method: choice.method,
    point: Array.from(point),
    lower: band.lower,
    upper: band.upper,
    seasonPeriod: ctx.m >= 2 ? ctx.m : null,
    backtest: errors && ctx.plan
      ? {
          mase: scale > 0 && errors.finite ? meanAbsoluteError(errors) / scale : null,
          origins: ctx.y.length - ctx.plan.first,
          errorsByHorizon: maeByHorizon(errors).map((e) => e * ctx.unit),
        }
      : null,
    fallback: choice.fallback,
    intervals: { source: band.source, backtestSteps: band.backtestSteps },
  };
}

/**
 * A power of two near the series' magnitude. Dividing by it is exact, so ordinary series give
 * bit-for-bit the same forecasts, while squared errors of values near 1e300 (or 1e-300) stay finite.
 */
function unitOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max > 0 ? 2 ** Math.round(Math.log2(max)) : 1;
}

function run(req: ForecastRequest): ForecastResult {
  const unit = unitOf(req.values);
  const y = Float64Array.from(req.values, (v) => v / unit);
  const m = seasonFor(req);
  const plan = planBacktest(y.length, req.horizon, m);
  const ctx: Context = { y, unit, m, plan, cache: plan ? new TrialCache(y, m, plan, notApplicable) : null };
  const choice = req.method === 'auto' ? chooseAuto(ctx) : chooseNamed(ctx, req.method);
  return resultFor(ctx, choice, req);
}

/** Forecasts one series; throws ForecastInputError naming the field for invalid input. */
export function forecast(input: ForecastInput): ForecastResult {
  return run(checkForecastRequest(input));
}

/** Forecasts each series independently, in input order; invalid input names `[i].field`. */
export function forecastBatch(inputs: readonly ForecastInput[]): ForecastResult[] {
  return checkForecastBatch(inputs).map(run);
}
