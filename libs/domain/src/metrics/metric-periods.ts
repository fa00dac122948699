/**
 * Grain buckets in UTC, matching Postgres `date_trunc(grain, ts, 'UTC')` (weeks start on Monday),
 * and the bucket arithmetic behind period comparisons.
 */
import type { MetricGrain } from './metric-definition';

export const METRIC_COMPARISONS = ['previous-period', 'same-period-last-year'] as const;
export type MetricComparison = (typeof METRIC_COMPARISONS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Start of the bucket holding `at`. */
export function grainBucketStart(at: Date, grain: MetricGrain): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (grain) {
    case 'hour':
      return new Date(Date.UTC(y, m, d, at.getUTCHours()));
    case 'day':
      return new Date(Date.UTC(y, m, d));
    case 'week':
      // getUTCDay: Sunday 0 … Saturday 6; ISO weeks start on Monday.
      return new Date(Date.UTC(y, m, d) - ((at.getUTCDay() + 6) % 7) * DAY);
    case 'month':
      return new Date(Date.UTC(y, m, 1));
  }
}

/** The bucket `n` grains after (or before, for negative n) the bucket starting at `start`. */
export function addGrainBuckets(start: Date, grain: MetricGrain, n: number): Date {
  switch (grain) {
    case 'hour':
      return new Date(start.getTime() + n * HOUR);
    case 'day':
      return new Date(start.getTime() + n * DAY);
    case 'week':
      return new Date(start.getTime() + n * 7 * DAY);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));
  }
}

/** Whole buckets from the bucket holding `from` up to the last one starting before `to`. */
export interface GrainBucketRange {
  /** First bucket start (inclusive). */
  from: Date;
  /** End of the last bucket (exclusive). */
  to: Date;
  buckets: number;
}

export function grainBucketRange(from: Date, to: Date, grain: MetricGrain): GrainBucketRange {
  const first = grainBucketStart(from, grain);
  const last = grainBucketStart(new Date(to.getTime() - 1), grain);
  const buckets = last < first ? 0 : countBuckets(first, last, grain) + 1;
  return { from: first, to: buckets === 0 ? first : addGrainBuckets(last, grain, 1), buckets };
}

function countBuckets(first: Date, last: Date, grain: MetricGrain): number {
  if (grain === 'month') return (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth();
  const size = grain === 'hour' ? HOUR : grain === 'day' ? DAY : 7 * DAY;
  return Math.round((last.getTime() - first.getTime()) / size);
}

/**
 * Maps a bucket of the read range to the bucket it is compared with. The previous period is the
 * same number of buckets just before the range; last year is 12 months, 52 weeks, or the same
 * calendar day and hour a year earlier (29 February compares with 28 February).
 */
export function comparisonBucketOf(bucket: Date, grain: MetricGrain, comparison: MetricComparison, rangeBuckets: number): Date {
  if (comparison === 'previous-period') return addGrainBuckets(bucket, grain, -rangeBuckets);
  if (grain === 'month') return addGrainBuckets(bucket, grain, -12);
  if (grain === 'week') return addGrainBuckets(bucket, grain, -52);
  const year = bucket.getUTCFullYear() - 1;
  const month = bucket.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(bucket.getUTCDate(), lastDay), bucket.getUTCHours()));
}

/** The range the comparison values come from. */
export function comparisonRangeOf(range: GrainBucketRange, grain: MetricGrain, comparison: MetricComparison): GrainBucketRange {
  if (range.buckets === 0) return range;
  const from = comparisonBucketOf(range.from, grain, comparison, range.buckets);
  const lastBucket = addGrainBuckets(range.to, grain, -1);
  const to = addGrainBuckets(comparisonBucketOf(lastBucket, grain, comparison, range.buckets), grain, 1);
  return { from, to, buckets: countBuckets(from, addGrainBuckets(to, grain, -1), grain) + 1 };
}

/** The last `n` buckets starting before `until`, oldest first. */
export function lastGrainBuckets(until: Date, grain: MetricGrain, n: number): Date[] {
  const last = grainBucketStart(new Date(until.getTime() - 1), grain);
  return Array.from({ length: n }, (_, i) => addGrainBuckets(last, grain, i - n + 1));
}
