/**
 * threshold-alert@2's anomaly detector: alert when the newest value of a series is an outlier
 * against its own history (robust z-score of the residual of a seasonal decomposition), instead
 * of when it crosses a fixed bound. Pure: a series and its history in, a decision with the
 * evidence it rests on out. threshold-alert@1 stays the bound rule alone.
 */
import { AnomalyInputError, DEFAULT_ANOMALY_THRESHOLD, detectAnomalies, LevelShift, minimumAnomalyLength } from '@opsloop/analytics';
import { formatCount, formatQuantity, tidyNumber } from '@opsloop/domain';

/** Versions whose decide step has the anomaly detector (@1 predates it and never changes). */
export const ANOMALY_POLICY_VERSIONS: readonly string[] = ['threshold-alert@2'];

export type AnomalyDirection = 'both' | 'above' | 'below';

export interface AnomalyRule {
  threshold?: number;
  seasonPeriod?: number;
  /** Which departures alert: 'above' ignores drops, 'below' ignores rises. Default both. */
  direction?: AnomalyDirection;
}

export interface SeriesWithHistory {
  series: string;
  /** The newest value: the one judged. */
  value: number;
  /** Earlier values, oldest first; null marks a bucket without data. */
  history: readonly (number | null)[];
}

/** Everything the decision rests on, for the decision's inputs and the ledger. */
export interface AnomalyEvidence {
  method: string | null;
  value: number;
  expected: number | null;
  residual: number | null;
  z: number | null;
  threshold: number;
  direction: AnomalyDirection;
  /** Robust sigma of the residuals: the unit of z. */
  scale: number | null;
  seasonPeriod: number | null;
  seasonSource: string | null;
  historyPoints: number;
  /** Positions in the history that had no value and were interpolated. */
  filledGaps: number[];
  levelShift: LevelShift | null;
}

export interface AnomalyAlertDecision {
  subject: string;
  decision: 'notify' | 'hold';
  /** |z| for an alert (what "approve above a threshold" compares), 0 otherwise. */
  magnitude: number;
  /** The business reason: the reading against its normal range. */
  headline: string;
  /** The statistics behind it (z, threshold, level shift); '' when the reading was not judged. */
  details: string;
  /** headline, then details. */
  explanation: string;
  action: { series: string; value: number; expected: number; z: number; threshold: number; direction: AnomalyDirection } | null;
  evidence: AnomalyEvidence;
}

// More missing buckets than this share and the history is not the series any more.
const MAX_GAP_SHARE = 0.25;

export function hasAnomalyDetector(policyVersion: string): boolean {
  return ANOMALY_POLICY_VERSIONS.includes(policyVersion);
}

/** Interior gaps interpolated linearly, leading and trailing ones copied from the nearest value. */
export function fillGaps(history: readonly (number | null)[]): { values: number[]; filled: number[] } {
  const known = history.flatMap((v, i) => (v === null ? [] : [i]));
  const filled = history.flatMap((v, i) => (v === null ? [i] : []));
  if (known.length === 0) return { values: [], filled };
  const values = history.map((v, i) => {
    if (v !== null) return v;
    const after = known.find((k) => k > i);
    const before = [...known].reverse().find((k) => k < i);
    if (before === undefined) return history[after!]!;
    if (after === undefined) return history[before]!;
    return history[before]! + ((history[after]! - history[before]!) * (i - before)) / (after - before);
  });
  return { values, filled };
}

function worded(headline: string, details: string) {
  return { headline, details, explanation: details ? `${headline} ${details}` : headline };
}

function hold(reading: SeriesWithHistory, evidence: AnomalyEvidence, headline: string, details = ''): AnomalyAlertDecision {
  return { subject: reading.series, decision: 'hold', magnitude: 0, ...worded(headline, details), action: null, evidence };
}

const reads = (r: SeriesWithHistory) => `${r.series} reads ${formatQuantity(r.value)}`;

/** A hold before any judgement: the data did not allow one, and the explanation says why. */
function cannotJudge(reading: SeriesWithHistory, evidence: AnomalyEvidence, why: string): AnomalyAlertDecision {
  return hold(reading, evidence, `No alert: ${reads(reading)} and cannot be judged: ${why}.`);
}

function blankEvidence(reading: SeriesWithHistory, rule: AnomalyRule, filled: number[]): AnomalyEvidence {
  return {
    method: null, value: reading.value, expected: null, residual: null, z: null, threshold: rule.threshold ?? DEFAULT_ANOMALY_THRESHOLD,
    direction: rule.direction ?? 'both', scale: null, seasonPeriod: null, seasonSource: null, historyPoints: reading.history.length, filledGaps: filled, levelShift: null,
  };
}

function wrongSide(z: number, direction: AnomalyDirection): boolean {
  return (direction === 'above' && z < 0) || (direction === 'below' && z > 0);
}

function describeShift(shift: LevelShift | null, length: number): string {
  if (!shift) return '';
  return `; the level shifted ${shift.direction} by ${formatQuantity(Math.abs(shift.size))} at point ${shift.index + 1} of ${length}`;
}

/** Judges the newest value of one series against its history. Never throws on bad data: it holds and says why. */
export function decideAnomaly(reading: SeriesWithHistory, rule: AnomalyRule): AnomalyAlertDecision {
  const { values: history, filled } = fillGaps(reading.history);
  const base = blankEvidence(reading, rule, filled);
  if (filled.length > MAX_GAP_SHARE * reading.history.length) {
    return cannotJudge(reading, base, `${filled.length} of ${formatCount(reading.history.length, 'history point')} have no value, more than ${MAX_GAP_SHARE * 100}%`);
  }
  const needed = minimumAnomalyLength(rule.seasonPeriod ?? 1) - 1;
  if (history.length < needed) return cannotJudge(reading, base, `needs at least ${formatCount(needed, 'history point')}, has ${history.length}`);
  const series = [...history, reading.value];
  let report;
  try {
    report = detectAnomalies(series, { threshold: rule.threshold, seasonPeriod: rule.seasonPeriod });
  } catch (err) {
    if (err instanceof AnomalyInputError) return cannotJudge(reading, base, `the history is unusable (${err.message})`);
    throw err;
  }
  const last = report.points[series.length - 1]!;
  const evidence: AnomalyEvidence = {
    ...base, method: report.method, expected: last.expected, residual: last.residual, z: last.z, threshold: report.threshold,
    scale: report.scale, seasonPeriod: report.seasonPeriod, seasonSource: report.seasonSource, levelShift: report.levelShift,
  };
  const direction = evidence.direction;
  const expected = `(expected ${formatQuantity(last.expected)})`;
  const details = `z = ${round(last.z)} against the threshold ${report.threshold}${describeShift(report.levelShift, series.length)}.`;
  if (!last.anomaly) return hold(reading, evidence, `No alert: ${reads(reading)}, within its normal range ${expected}.`, details);
  const side = last.z > 0 ? 'above' : 'below';
  if (wrongSide(last.z, direction)) {
    return hold(reading, evidence, `No alert: ${reads(reading)}, ${side} its normal range ${expected}, but only ${direction === 'above' ? 'rises' : 'drops'} alert.`, details);
  }
  return {
    subject: reading.series,
    decision: 'notify',
    magnitude: tidyNumber(Math.abs(last.z)),
    ...worded(`Notify: ${reads(reading)}, ${side} its normal range ${expected}.`, details),
    action: { series: reading.series, value: reading.value, expected: last.expected, z: last.z, threshold: report.threshold, direction },
    evidence,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
