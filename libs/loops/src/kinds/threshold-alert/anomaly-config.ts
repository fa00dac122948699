/**
 * Checks across threshold-alert params that the DTO cannot express, for the anomaly detector
 * and metric-center readings: each refusal names the field a person has to change.
 */
import type { FieldError } from '@opsloop/config';
import type { AnomalyParams, Detector, MetricRef } from './anomaly.params';

interface Checked {
  detector?: Detector;
  anomaly?: AnomalyParams;
  metric?: MetricRef;
  probe?: unknown;
  tuning?: unknown;
  outcomeWindowSeconds?: number;
}

const err = (field: string, message: string): FieldError => ({ field, messages: [`${field} ${message}`] });

function metricErrors(p: Checked, metricsBound: boolean): FieldError[] {
  if (!p.metric) return [];
  const errors: FieldError[] = [];
  if (!metricsBound) errors.push(err('params.metric', 'needs the metric center, which this deployment does not provide'));
  if (p.probe) errors.push(err('params.metric', 'cannot be set together with params.probe: a loop reads one of them'));
  for (const [name, value] of Object.entries(p.metric.dims ?? {})) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) errors.push(err(`params.metric.dims.${name}`, 'must be a non-empty string of at most 200 characters'));
  }
  return errors;
}

function anomalyErrors(p: Checked): FieldError[] {
  if (p.detector !== 'anomaly') return p.anomaly ? [err('params.anomaly', "applies only with params.detector 'anomaly'")] : [];
  const errors: FieldError[] = [];
  const history = p.anomaly?.history;
  if (p.metric && history === undefined) errors.push(err('params.anomaly.history', 'is required with params.metric: how many points before the newest to judge it against'));
  const season = p.anomaly?.seasonPeriod ?? 1;
  if (season > 1 && history !== undefined && history < 2 * season) {
    errors.push(err('params.anomaly.seasonPeriod', `${season} needs at least ${2 * season} points of history (two seasons); params.anomaly.history is ${history}`));
  }
  if (p.tuning) errors.push(err('params.tuning', 'moves the bound; the anomaly detector has none'));
  if (p.outcomeWindowSeconds !== undefined) {
    errors.push(err('params.outcomeWindowSeconds', 'does not apply to the anomaly detector: its alerts are judged by labels (POST /api/v1/decisions/:id/labels)'));
  }
  return errors;
}

export function anomalyConfigErrors(params: Checked, metricsBound: boolean): FieldError[] {
  return [...metricErrors(params, metricsBound), ...anomalyErrors(params)];
}
