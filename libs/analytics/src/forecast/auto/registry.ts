/**
 * Which model each method name means when a request names it (or `auto` tries it), the members
 * of the combination, and the simpler method each falls back to on a series it cannot handle.
 *
 * Why SES and Holt are wrapped: on a seasonal series the non-seasonal smoothers forecast the
 * seasonally adjusted series (as Theta always did), so every name gives a sensible forecast
 * whatever the season, and the combination averages like with like.
 */
import { holtDampedSpec, holtSpec } from '../exp-smoothing/holt';
import { holtWintersSpec } from '../exp-smoothing/holt-winters';
import { sesSpec } from '../exp-smoothing/ses';
import { ModelSpec } from '../model';
import { ForecastMethodName } from '../request';
import { crostonSpec, sbaSpec } from '../simple/croston';
import { naiveSpec, seasonalNaiveSpec } from '../simple/naive';
import { seasonallyAdjusted } from '../simple/seasonal-adjust';
import { thetaSpec } from '../simple/theta';

export type BaseMethod = Exclude<ForecastMethodName, 'combination'>;

export const SPECS: Record<BaseMethod, ModelSpec> = {
  naive: naiveSpec,
  'seasonal-naive': seasonalNaiveSpec,
  ses: seasonallyAdjusted(sesSpec),
  holt: seasonallyAdjusted(holtSpec),
  'holt-damped': seasonallyAdjusted(holtDampedSpec),
  'holt-winters-additive': holtWintersSpec('additive', false),
  'holt-winters-multiplicative': holtWintersSpec('multiplicative', false),
  'holt-winters-additive-damped': holtWintersSpec('additive', true),
  'holt-winters-multiplicative-damped': holtWintersSpec('multiplicative', true),
  theta: thetaSpec,
  croston: crostonSpec,
  sba: sbaSpec,
};

/** The combination forecasts the plain mean of these members' forecasts. */
export const COMBINATION_MEMBERS: readonly BaseMethod[] = ['ses', 'holt-damped', 'theta'];

/** Next simpler method for a series the named one cannot handle; naive handles any non-empty series. */
export const SIMPLER: Record<ForecastMethodName, ForecastMethodName | null> = {
  naive: null,
  'seasonal-naive': 'naive',
  ses: 'naive',
  holt: 'ses',
  'holt-damped': 'ses',
  'holt-winters-additive': 'holt-damped',
  'holt-winters-multiplicative': 'holt-winters-additive',
  'holt-winters-additive-damped': 'holt-damped',
  'holt-winters-multiplicative-damped': 'holt-winters-additive-damped',
  theta: 'ses',
  combination: 'ses',
  croston: 'ses',
  sba: 'ses',
};

/** Base methods a candidate needs fitted: itself, or the combination's members. */
export function membersOf(method: ForecastMethodName): readonly BaseMethod[] {
  return method === 'combination' ? COMBINATION_MEMBERS : [method];
}
