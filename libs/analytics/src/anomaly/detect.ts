/**
 * Anomaly detection on one series: a robust z-score (median and MAD) of the residuals of a
 * robust seasonal decomposition flags single points; a level shift is looked for separately.
 * Pure: numbers in, a report out; bad input throws AnomalyInputError naming the field.
 */
import { detectSeasonPeriod } from '../forecast/simple/seasonality';
import { Decomposition, minimumLength, robustDecompose, segmentsFor } from './decompose';
import { detectLevelShift } from './level-shift';
import { numericFloor, robustScale, RobustScale, runningMedian } from './robust';
import { AnomalyOptions, AnomalyPoint, AnomalyReport } from './types';
import { checkSeasonPeriod, checkThreshold, checkValues, DEFAULT_ANOMALY_THRESHOLD, DEFAULT_SHIFT_THRESHOLD } from './validate';

// Before season detection, departures from a short running median beyond this many robust
// sigmas are clipped: the ACF is a product-moment statistic, and one huge outlier would
// otherwise hide a real season. A short window keeps the season itself in the departures.
const DETECTION_CLIP = 3;
const DETECTION_WINDOW = 7;

interface SeasonChoice {
  period: number;
  source: AnomalyReport['seasonSource'];
}

function clipped(values: readonly number[]): number[] {
  const rough = runningMedian(values, DETECTION_WINDOW);
  const first = rough.findIndex((v) => !Number.isNaN(v));
  const last = rough.length - 1 - [...rough].reverse().findIndex((v) => !Number.isNaN(v));
  const local = rough.map((v, i) => (Number.isNaN(v) ? rough[i < first ? first : last] : v));
  const departures = values.map((v, i) => v - local[i]);
  const { center, scale, from } = robustScale(departures, 0);
  if (from !== 'mad') return [...values];
  const bound = DETECTION_CLIP * scale;
  return departures.map((d, i) => local[i] + Math.min(center + bound, Math.max(center - bound, d)));
}

function chooseSeason(values: readonly number[], given: number | undefined): SeasonChoice {
  if (given !== undefined) return { period: given, source: given > 1 ? 'given' : 'none' };
  const found = detectSeasonPeriod(clipped(values));
  // A season seen in fewer points than a decomposition needs is not usable: treat as none.
  return found > 1 && values.length >= minimumLength(found) ? { period: found, source: 'detected' } : { period: 1, source: 'none' };
}

const SCALE_WORDS: Record<RobustScale['from'], string> = {
  mad: '1.4826·MAD',
  'mean-absolute-deviation': '1.2533·mean absolute deviation, as the MAD is 0',
  floor: 'a rounding floor, as every residual is equal',
};

function describeMethod(d: Decomposition, season: SeasonChoice, scaleFrom: RobustScale['from']): string {
  const zPart = `robust z of leverage-standardised residuals = (r − median) / (${SCALE_WORDS[scaleFrom]})`;
  const split = d.segments.length > 1 ? `, fitted apart before and after the level shift at ${d.segments[1]}` : '';
  const trend = `local linear trend over ${d.trendWindow} points refitted without outliers${split}`;
  if (d.period <= 1) return `${trend}, no season; ${zPart}`;
  return `robust seasonal decomposition (season ${d.period}, ${season.source}; ${trend}; per-phase mean season); ${zPart}`;
}

export function detectAnomalies(values: readonly number[], options: AnomalyOptions = {}): AnomalyReport {
  checkValues(values);
  const threshold = checkThreshold('threshold', options.threshold, DEFAULT_ANOMALY_THRESHOLD);
  const shiftThreshold = checkThreshold('shiftThreshold', options.shiftThreshold, DEFAULT_SHIFT_THRESHOLD);
  const season = chooseSeason(values, checkSeasonPeriod(options.seasonPeriod, values.length));
  const floor = numericFloor(values);
  // The shift is found first, on the deseasonalised series, so the trend can be fitted on each
  // side of it instead of smearing the step over its neighbours.
  const whole = robustDecompose(values, season.period, floor);
  const levelShift = detectLevelShift(values.map((v, i) => v - whole.seasonal[i]), season.period, shiftThreshold, floor);
  const segments = segmentsFor(values.length, season.period, levelShift?.index ?? null);
  const d = segments.length > 1 ? robustDecompose(values, season.period, floor, segments) : whole;
  const { center, scale, from } = robustScale(d.standardised, floor);
  const points: AnomalyPoint[] = values.map((value, index) => {
    const z = (d.standardised[index] - center) / scale;
    return { index, value, expected: d.trend[index] + d.seasonal[index], residual: d.residual[index], z, anomaly: Math.abs(z) >= threshold };
  });
  return { points, levelShift, method: describeMethod(d, season, from), seasonPeriod: d.period, seasonSource: season.source, threshold, center, scale, scaleFrom: from };
}

export { minimumLength as minimumAnomalyLength } from './decompose';
export { DEFAULT_ANOMALY_THRESHOLD, DEFAULT_SHIFT_THRESHOLD } from './validate';
