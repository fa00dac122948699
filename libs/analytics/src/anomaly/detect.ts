/**
 * Anomaly detection on one series: a robust z-score (median and MAD) of the residuals of a
 * robust seasonal decomposition flags single points; a level shift is looked for separately.
 * Pure: numbers in, a report out; bad input throws AnomalyInputError naming the field.
 */
import { detectSeasonPeriod } from '../forecast/simple/seasonality';
import { Decomposition, minimumLength, robustDecompose, segmentsFor } from './decompose';
import { detectLevelShift } from './level-shift';
import { numericFloor, robustScale, RobustScale } from './robust';
import { AnomalyOptions, AnomalyPoint, AnomalyReport } from './types';
import { checkSeasonPeriod, checkThreshold, checkValues, DEFAULT_ANOMALY_THRESHOLD, DEFAULT_SHIFT_THRESHOLD } from './validate';

// Values beyond this many robust sigmas are clipped before season detection: the ACF is a
// product-moment statistic, and one huge outlier would otherwise hide a real season.
const DETECTION_CLIP = 3;

interface SeasonChoice {
  period: number;
  source: AnomalyReport['seasonSource'];
}

function clipped(values: readonly number[]): number[] {
  const { center, scale, from } = robustScale(values, 0);
  if (from !== 'mad') return [...values];
  const lo = center - DETECTION_CLIP * scale;
  const hi = center + DETECTION_CLIP * scale;
  return values.map((v) => Math.min(hi, Math.max(lo, v)));
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
  const zPart = `robust z = (residual − median) / (${SCALE_WORDS[scaleFrom]})`;
  if (d.period <= 1) return `running-median trend (window ${d.trendWindow}), no season; ${zPart}`;
  return `robust seasonal decomposition (period ${d.period}, ${season.source}; running-median trend over ${d.trendWindow}, per-phase median season); ${zPart}`;
}

export function detectAnomalies(values: readonly number[], options: AnomalyOptions = {}): AnomalyReport {
  checkValues(values);
  const threshold = checkThreshold('threshold', options.threshold, DEFAULT_ANOMALY_THRESHOLD);
  const shiftThreshold = checkThreshold('shiftThreshold', options.shiftThreshold, DEFAULT_SHIFT_THRESHOLD);
  const season = chooseSeason(values, checkSeasonPeriod(options.seasonPeriod, values.length));
  const floor = numericFloor(values);
  // The shift is found first, on the deseasonalised series, so the trend can be fitted on each
  // side of it instead of smearing the step over its neighbours.
  const { seasonal } = robustDecompose(values, season.period, floor);
  const levelShift = detectLevelShift(values.map((v, i) => v - seasonal[i]), season.period, shiftThreshold, floor);
  const d = robustDecompose(values, season.period, floor, segmentsFor(values.length, season.period, levelShift?.index ?? null));
  const { center, scale, from } = robustScale(d.standardised, floor);
  const points: AnomalyPoint[] = values.map((value, index) => {
    const z = (d.standardised[index] - center) / scale;
    return { index, value, expected: d.trend[index] + d.seasonal[index], residual: d.residual[index], z, anomaly: Math.abs(z) >= threshold };
  });
  return { points, levelShift, method: describeMethod(d, season, from), seasonPeriod: d.period, seasonSource: season.source, threshold, center, scale, scaleFrom: from };
}

export { minimumLength as minimumAnomalyLength } from './decompose';
export { DEFAULT_ANOMALY_THRESHOLD, DEFAULT_SHIFT_THRESHOLD } from './validate';
