/** Params of threshold-alert's anomaly detector and of a metric-center series, validated by class-validator. */
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AnomalyDirection } from '@opsloop/policies';

export const DETECTORS = ['bound', 'anomaly'] as const;
export type Detector = (typeof DETECTORS)[number];

/** Most history points an event may carry with one reading. */
export const MAX_HISTORY_POINTS = 10_000;
/** Most metric buckets one run reads as history (the metric center serves 10,000 per read, two go to the newest buckets). */
export const MAX_METRIC_HISTORY = 9_990;

export class AnomalyParams {
  /** |z| at or above this alerts. Default 3.5. */
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(100)
  threshold?: number;

  /** Season length in points; 1 for none; left out, it is detected from the history. */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_METRIC_HISTORY)
  seasonPeriod?: number;

  /** Points of metric history read before the newest one (needed with params.metric). */
  @IsOptional() @IsInt() @Min(7) @Max(MAX_METRIC_HISTORY)
  history?: number;

  @IsOptional() @IsIn(['both', 'above', 'below'])
  direction?: AnomalyDirection;
}

export class MetricRef {
  /** Metric-center key; the value judged is its newest complete bucket. */
  @IsString() @IsNotEmpty() @MaxLength(200)
  key!: string;

  /** Only observations whose dimensions equal these values, e.g. {"region": "eu"}. */
  @IsOptional() @IsObject()
  dims?: Record<string, string>;
}
