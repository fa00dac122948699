/**
 * The quality gate every batch and every collect passes: schema, duplicates, freshness,
 * completeness and outliers, as one report. Outliers are flagged, never failing; the source's
 * gate policy decides whether a failing report blocks a loop run. Built for 1M-row batches:
 * points are kept in typed arrays and read one series at a time.
 */
import type { GatePolicy, OnDuplicate, QualityExpectations } from './source-schema';
import { SeriesPoints } from './series-points';

export { SeriesPoints };

export const QUALITY_CHECKS = ['schema', 'duplicates', 'freshness', 'completeness', 'outliers'] as const;
export type QualityCheckName = (typeof QUALITY_CHECKS)[number];

export interface QualityCheck {
  name: QualityCheckName;
  ok: boolean;
  message: string;
}

export interface SourceQualityReport {
  /** Every check passed (outliers never fail). */
  ok: boolean;
  /** The report fails and the source's gate policy is 'block': loop runs reading it must stop. */
  blocking: boolean;
  checks: QualityCheck[];
}

export const DEFAULT_OUTLIER_Z = 5;
/** Fewer points than this in a series: median and MAD say nothing, no outlier is flagged. */
export const MIN_POINTS_FOR_OUTLIERS = 5;

export interface GateInput {
  rowsReceived: number;
  /** Input rows that failed the schema (quarantined). */
  rowsQuarantined: number;
  /** Valid rows repeating a unique key seen earlier in the same batch. */
  duplicatesInBatch: number;
  /** Valid rows whose unique key was already stored before the batch. */
  duplicatesStored: number;
  onDuplicate: OnDuplicate;
  points: SeriesPoints;
  expectations: QualityExpectations;
  gatePolicy: GatePolicy;
  nowMs: number;
  /** Newest timestamp stored for the source before this batch: a backfill is not staleness. */
  storedNewestMs?: number | null;
}

export function qualityReport(input: GateInput): SourceQualityReport {
  const checks = [schemaCheck(input), duplicatesCheck(input), freshnessCheck(input), ...seriesChecks(input)];
  const ok = checks.every((c) => c.ok);
  return { ok, blocking: !ok && input.gatePolicy === 'block', checks };
}

export function schemaCheck(i: Pick<GateInput, 'rowsReceived' | 'rowsQuarantined'>): QualityCheck {
  if (i.rowsQuarantined === 0) return { name: 'schema', ok: true, message: `all ${i.rowsReceived} rows match the schema` };
  return { name: 'schema', ok: false, message: `${i.rowsQuarantined} of ${i.rowsReceived} rows failed the schema and were quarantined` };
}

/** Repeats inside one batch are a sender's bug; keys already stored are the idempotent re-send. */
export function duplicatesCheck(i: Pick<GateInput, 'duplicatesInBatch' | 'duplicatesStored' | 'onDuplicate'>): QualityCheck {
  const stored = i.duplicatesStored === 0 ? ''
    : `; ${i.duplicatesStored} rows were already stored (${i.onDuplicate === 'skip' ? 'skipped' : 'upserted: the new values win'})`;
  if (i.duplicatesInBatch === 0) return { name: 'duplicates', ok: true, message: `no unique key repeats within the batch${stored}` };
  return {
    name: 'duplicates', ok: false,
    message: `${i.duplicatesInBatch} rows repeat a unique key seen earlier in the batch (${i.onDuplicate === 'skip' ? 'the first one is kept' : 'the last one wins'})${stored}`,
  };
}

export function freshnessCheck(i: Pick<GateInput, 'points' | 'expectations' | 'nowMs' | 'storedNewestMs'>): QualityCheck {
  const cadence = i.expectations.expectedCadenceSeconds;
  if (!cadence) return { name: 'freshness', ok: true, message: 'no expected cadence declared' };
  const newest = Math.max(i.points.newestMs ?? -Infinity, i.storedNewestMs ?? -Infinity);
  if (newest === -Infinity) return { name: 'freshness', ok: false, message: 'no timestamps to judge freshness by' };
  const ageSeconds = Math.round((i.nowMs - newest) / 1000);
  const at = new Date(newest).toISOString();
  if (ageSeconds <= cadence) return { name: 'freshness', ok: true, message: `newest observation ${at} is within the expected cadence of ${cadence} s` };
  return { name: 'freshness', ok: false, message: `newest observation ${at} is ${ageSeconds} s old, over the expected cadence of ${cadence} s` };
}

interface SeriesFindings {
  gaps: number;
  seriesWithGaps: number;
  firstGap: string | null;
  outliers: number;
  seriesWithOutliers: number;
  firstOutlier: string | null;
}

/** Completeness and outliers share one pass over the points grouped by series. */
function seriesChecks(i: GateInput): QualityCheck[] {
  const cadenceMs = (i.expectations.expectedCadenceSeconds ?? 0) * 1000;
  // Half an interval of jitter is tolerated: only a whole missing interval is a gap.
  const maxStepMs = cadenceMs > 0 ? ((i.expectations.maxGapIntervals ?? 1) + 0.5) * cadenceMs : Infinity;
  const z = i.expectations.outlierZ ?? DEFAULT_OUTLIER_Z;
  const found = scanSeries(i.points, maxStepMs, z);
  return [completenessCheck(i, found, cadenceMs > 0), outliersCheck(i.points, found, z)];
}

function completenessCheck(i: GateInput, f: SeriesFindings, gapsChecked: boolean): QualityCheck {
  const missing = (i.expectations.expectedSeries ?? []).filter((s) => !i.points.has(s));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`${missing.length} expected series missing: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`);
  if (f.gaps > 0) parts.push(`${f.gaps} gaps over ${i.expectations.maxGapIntervals ?? 1} cadence interval(s) in ${f.seriesWithGaps} series, e.g. ${f.firstGap}`);
  if (parts.length > 0) return { name: 'completeness', ok: false, message: parts.join('; ') };
  const expected = i.expectations.expectedSeries?.length ? `all ${i.expectations.expectedSeries.length} expected series present` : 'no expected series declared';
  return { name: 'completeness', ok: true, message: `${expected}; ${gapsChecked ? 'no gaps' : 'gaps not checked (no expected cadence)'}${truncatedNote(i.points)}` };
}

function outliersCheck(points: SeriesPoints, f: SeriesFindings, z: number): QualityCheck {
  if (f.outliers === 0) return { name: 'outliers', ok: true, message: `no value with a robust z-score over ${z}${truncatedNote(points)}` };
  return {
    name: 'outliers', ok: true,
    message: `${f.outliers} values flagged (robust z-score over ${z}) in ${f.seriesWithOutliers} series, kept; e.g. ${f.firstOutlier}`,
  };
}

function truncatedNote(points: SeriesPoints): string {
  return points.untrackedPoints > 0 ? ` (${points.untrackedPoints} points beyond the first ${points.maxSeries} series not examined)` : '';
}

function scanSeries(points: SeriesPoints, maxStepMs: number, z: number): SeriesFindings {
  const f: SeriesFindings = { gaps: 0, seriesWithGaps: 0, firstGap: null, outliers: 0, seriesWithOutliers: 0, firstOutlier: null };
  const scratch = new Float64Array(points.largestSeries());
  points.forEachSeries((key, ts, values) => {
    const flagged = flagOutliers(ts, values, z, scratch);
    if (flagged.count > 0) {
      f.outliers += flagged.count;
      f.seriesWithOutliers += 1;
      f.firstOutlier ??= `${key} at ${new Date(flagged.firstTs).toISOString()}: ${flagged.firstValue}`;
    }
    if (maxStepMs === Infinity) return;
    // Sorting the timestamps last: they no longer line up with the values afterwards.
    const gap = countGaps(ts.sort(), maxStepMs);
    if (gap.count > 0) {
      f.gaps += gap.count;
      f.seriesWithGaps += 1;
      f.firstGap ??= `${key} between ${new Date(gap.afterTs).toISOString()} and ${new Date(gap.beforeTs).toISOString()}`;
    }
  });
  return f;
}

function countGaps(sortedTs: Float64Array, maxStepMs: number): { count: number; afterTs: number; beforeTs: number } {
  let count = 0;
  let afterTs = 0;
  let beforeTs = 0;
  for (let k = 1; k < sortedTs.length; k++) {
    if (sortedTs[k] - sortedTs[k - 1] <= maxStepMs) continue;
    if (count === 0) [afterTs, beforeTs] = [sortedTs[k - 1], sortedTs[k]];
    count += 1;
  }
  return { count, afterTs, beforeTs };
}

/**
 * Robust z-score: 0.6745·(x − median)/MAD. When more than half the values are equal (MAD 0),
 * the mean absolute deviation scaled to match stands in, so one wild value still shows.
 */
/** Counts the values of one series beyond `z`; `scratch` holds at least as many numbers as `values`. */
export function flagOutliers(ts: Float64Array, values: Float64Array, z: number, scratch: Float64Array) {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (!Number.isNaN(values[k])) scratch[n++] = values[k];
  const none = { count: 0, firstTs: 0, firstValue: 0 };
  if (n < MIN_POINTS_FOR_OUTLIERS) return none;
  const median = medianOf(scratch.subarray(0, n).sort());
  let meanAbs = 0;
  for (let k = 0; k < n; k++) {
    scratch[k] = Math.abs(scratch[k] - median);
    meanAbs += scratch[k];
  }
  const mad = medianOf(scratch.subarray(0, n).sort());
  const scale = mad > 0 ? mad / 0.6745 : (1.2533 * meanAbs) / n;
  if (!(scale > 0)) return none;
  let count = 0;
  let firstTs = 0;
  let firstValue = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!(Math.abs(v - median) / scale > z)) continue;
    if (count === 0) [firstTs, firstValue] = [ts[k], v];
    count += 1;
  }
  return { count, firstTs, firstValue };
}

function medianOf(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
