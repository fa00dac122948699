/**
 * threshold-alert@1: notify when a reading crosses a bound, judge each alert after its outcome
 * window (did the crossing persist?), and widen the bound when too many alerts turn out transient.
 * Pure: readings and history come in, decisions and proposals go out.
 * threshold-alert@2 decides the bound the same way and adds the anomaly detector (anomaly-rule.ts).
 */
import { formatCount, formatQuantity, tidyNumber } from '@opsloop/domain';

export const THRESHOLD_ALERT_POLICY_VERSIONS = ['threshold-alert@1', 'threshold-alert@2'] as const;

export type Direction = 'above' | 'below';

export interface Reading {
  series: string;
  value: number;
}

export interface ThresholdRule {
  bound: number;
  direction: Direction;
}

export interface AlertDecision {
  subject: string;
  decision: 'notify' | 'hold';
  /** How far past the bound: what "approve above a threshold" compares. */
  magnitude: number;
  explanation: string;
  action: { series: string; value: number; bound: number; direction: Direction } | null;
}

export function crosses(value: number, rule: ThresholdRule): boolean {
  return rule.direction === 'above' ? value > rule.bound : value < rule.bound;
}

export function decideAlerts(readings: readonly Reading[], rule: ThresholdRule): AlertDecision[] {
  return readings.map((r) => {
    const reads = `${r.series} reads ${formatQuantity(r.value)}`;
    if (!crosses(r.value, rule)) {
      return { subject: r.series, decision: 'hold', magnitude: 0, explanation: `No alert: ${reads}, not ${rule.direction} the bound ${formatQuantity(rule.bound)}.`, action: null };
    }
    // Stored without float noise: 0.3 past 0.1 is 0.2, not 0.19999999999999998.
    const distance = tidyNumber(Math.abs(r.value - rule.bound));
    return {
      subject: r.series,
      decision: 'notify',
      magnitude: distance,
      explanation: `Notify: ${reads}, ${rule.direction} the bound ${formatQuantity(rule.bound)} by ${formatQuantity(distance)}.`,
      action: { series: r.series, value: r.value, bound: rule.bound, direction: rule.direction },
    };
  });
}

/** An alert was right if the series still crossed the bound it was raised against. */
export function scoreAlert(alertedBound: number, direction: Direction, laterValue: number | null) {
  if (laterValue === null) return { outcome: { laterValue: null, persisted: null }, score: null };
  const persisted = crosses(laterValue, { bound: alertedBound, direction });
  return { outcome: { laterValue, persisted }, score: persisted ? 1 : 0 };
}

export interface BoundTuning {
  minBound: number;
  maxBound: number;
  step: number;
  targetPrecision: number;
  window: number;
}

export interface BoundProposal {
  from: number;
  to: number;
  reason: string;
}

/**
 * When the last `window` scored alerts were right less often than `targetPrecision`, move the
 * bound one step away from normal, never past the declared bounds.
 */
export function proposeBound(rule: ThresholdRule, tuning: BoundTuning, recentScores: readonly number[]): BoundProposal | null {
  const scores = recentScores.slice(-tuning.window);
  if (scores.length < tuning.window) return null;
  const precision = scores.reduce((a, b) => a + b, 0) / scores.length;
  if (precision >= tuning.targetPrecision) return null;
  const moved = rule.direction === 'above' ? rule.bound + tuning.step : rule.bound - tuning.step;
  const to = Math.min(tuning.maxBound, Math.max(tuning.minBound, moved));
  if (to === rule.bound) return null;
  return {
    from: rule.bound,
    to,
    reason: `precision ${round(precision)} over the last ${formatCount(scores.length, 'alert')} is below the target ${tuning.targetPrecision}: bound ${rule.bound} → ${to} (allowed ${tuning.minBound}..${tuning.maxBound})`,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
