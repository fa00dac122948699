/**
 * Scores both sides with the same MASE and sums them up per frequency and overall: mean MASE,
 * wins, time per series, speed ratio, and what the lead needs to improve `auto` where it loses.
 */
import { mase } from './mase';
import type { OpsSeriesResult } from './opsloop-side';
import type { RRun, RSeriesResult } from './r-side';
import { BenchSeries, holdout, Period, PERIODS, training } from './series-file';
import { mean, median } from './stats';

export const TARGET_SPEED_RATIO = 20;

export interface SeriesRow {
  name: string;
  period: Period;
  trainLength: number;
  opsMase: number;
  etsMase: number;
  arimaMase?: number;
  opsMethod: string;
  opsFallback: unknown;
  opsBacktestMase: number | null;
  etsModel: string;
  opsMs: number;
  etsMs: number;
  opsCpuMs: number;
  etsCpuMs: number;
  opsError?: string;
}

export interface GroupSummary {
  group: Period | 'all';
  n: number;
  opsMeanMase: number;
  etsMeanMase: number;
  arimaMeanMase?: number;
  /** Geometric mean over series of opsloop MASE / ets MASE: below 1 = opsloop better on a typical series, not just on outliers. */
  relativeMase: number;
  opsWins: number;
  etsWins: number;
  ties: number;
  opsErrors: number;
  opsMsMedian: number;
  opsMsMean: number;
  etsMsMedian: number;
  etsMsMean: number;
  /** Mean R ms per series / mean opsloop ms per series. */
  speedRatio: number;
  perSeriesRatioMedian: number;
  perSeriesRatioMin: number;
  seriesUnderTargetRatio: number;
  /** The same ratio on CPU time, which other load on the machine does not inflate. */
  cpuSpeedRatio: number;
}

export function scoreRows(series: readonly BenchSeries[], ops: readonly OpsSeriesResult[], r: RRun): SeriesRow[] {
  const byName = (list: readonly RSeriesResult[] | undefined, name: string) => list?.find((x) => x.name === name);
  return series.map((s, i) => {
    const o = ops[i]!;
    const ets = byName(r.ets, s.name);
    if (!ets || o.name !== s.name) throw new Error(`${s.name}: missing from one side's results`);
    const arima = byName(r.arima, s.name);
    const score = (point: number[]) => mase(training(s), holdout(s), point, s.frequency);
    return {
      name: s.name,
      period: s.period,
      trainLength: s.values.length - s.horizon,
      opsMase: score(o.point),
      etsMase: score(ets.point),
      ...(arima ? { arimaMase: score(arima.point) } : {}),
      opsMethod: o.method,
      opsFallback: o.fallback,
      opsBacktestMase: o.backtestMase,
      etsModel: ets.model,
      opsMs: o.msMedian,
      etsMs: ets.msMedian,
      opsCpuMs: o.cpuMsMedian,
      etsCpuMs: ets.cpuMsMedian,
      ...(o.error ? { opsError: o.error } : {}),
    };
  });
}

export function summarize(rows: readonly SeriesRow[], group: Period | 'all'): GroupSummary {
  const g = group === 'all' ? rows : rows.filter((r) => r.period === group);
  const ratios = g.map((r) => r.etsMs / r.opsMs);
  const arima = g.filter((r) => r.arimaMase !== undefined).map((r) => r.arimaMase!);
  // An opsloop error scores as NaN, which poisons its mean on purpose: a failure is never hidden.
  return {
    group,
    n: g.length,
    opsMeanMase: mean(g.map((r) => r.opsMase)),
    etsMeanMase: mean(g.map((r) => r.etsMase)),
    ...(arima.length === g.length && g.length > 0 ? { arimaMeanMase: mean(arima) } : {}),
    relativeMase: Math.exp(mean(g.map((r) => Math.log(r.opsMase / r.etsMase)))),
    opsWins: g.filter((r) => r.opsMase < r.etsMase).length,
    etsWins: g.filter((r) => r.etsMase < r.opsMase).length,
    ties: g.filter((r) => r.opsMase === r.etsMase).length,
    opsErrors: g.filter((r) => r.opsError !== undefined).length,
    opsMsMedian: median(g.map((r) => r.opsMs)),
    opsMsMean: mean(g.map((r) => r.opsMs)),
    etsMsMedian: median(g.map((r) => r.etsMs)),
    etsMsMean: mean(g.map((r) => r.etsMs)),
    speedRatio: mean(g.map((r) => r.etsMs)) / mean(g.map((r) => r.opsMs)),
    perSeriesRatioMedian: median(ratios),
    perSeriesRatioMin: Math.min(...ratios),
    seriesUnderTargetRatio: ratios.filter((x) => x < TARGET_SPEED_RATIO).length,
    cpuSpeedRatio: mean(g.map((r) => r.etsCpuMs)) / mean(g.map((r) => r.opsCpuMs)),
  };
}

export const summaries = (rows: readonly SeriesRow[]): GroupSummary[] => [...PERIODS, 'all' as const].map((g) => summarize(rows, g));

export interface MethodSummary {
  period: Period;
  method: string;
  n: number;
  opsMeanMase: number;
  etsMeanMase: number;
  opsWins: number;
}

/** How each method `auto` picked fared against ets on the series it was picked for. */
export function byMethod(rows: readonly SeriesRow[]): MethodSummary[] {
  const keys = [...new Set(rows.map((r) => `${r.period}\u0000${r.opsMethod}`))].sort();
  return keys.map((key) => {
    const [period, method] = key.split('\u0000') as [Period, string];
    const g = rows.filter((r) => r.period === period && r.opsMethod === method);
    return { period, method, n: g.length, opsMeanMase: mean(g.map((r) => r.opsMase)), etsMeanMase: mean(g.map((r) => r.etsMase)), opsWins: g.filter((r) => r.opsMase < r.etsMase).length };
  });
}

/** Series where opsloop is worse than ets, worst first (by MASE difference). */
export function losses(rows: readonly SeriesRow[]): SeriesRow[] {
  // An error (NaN MASE) counts as the worst loss.
  const gap = (r: SeriesRow) => (Number.isNaN(r.opsMase - r.etsMase) ? Infinity : r.opsMase - r.etsMase);
  return rows.filter((r) => gap(r) > 0).sort((a, b) => gap(b) - gap(a));
}

export interface Verdict {
  accuracyMet: boolean;
  speedMet: boolean;
}

export function verdict(all: GroupSummary): Verdict {
  return { accuracyMet: all.opsErrors === 0 && all.opsMeanMase <= all.etsMeanMase, speedMet: all.speedRatio >= TARGET_SPEED_RATIO };
}
