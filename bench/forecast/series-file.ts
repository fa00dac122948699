/**
 * The bench's series: series.json (written once by export-series.R), typed and split. This module
 * is not called series.ts because require() would resolve './series' to series.json first.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SERIES_FILE = path.join(__dirname, 'series.json');

export type Period = 'monthly' | 'quarterly' | 'yearly';
export const PERIODS: readonly Period[] = ['monthly', 'quarterly', 'yearly'];

export interface BenchSeries {
  name: string;
  period: Period;
  domain: string;
  description: string;
  /** Observations per year: 12, 4 or 1. Also the season length handed to both sides. */
  frequency: number;
  /** How many of the last values are held out and forecast. */
  horizon: number;
  values: number[];
}

export interface SeriesFile {
  source: string;
  selection: string;
  exportedWith: string;
  series: BenchSeries[];
}

export function loadSeries(file = SERIES_FILE): SeriesFile {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as SeriesFile;
  for (const s of doc.series) {
    if (!PERIODS.includes(s.period)) throw new Error(`${s.name}: unknown period ${String(s.period)}`);
    if (s.values.length <= s.horizon || s.values.some((v) => !Number.isFinite(v))) throw new Error(`${s.name}: bad values`);
  }
  return doc;
}

export const training = (s: BenchSeries): number[] => s.values.slice(0, s.values.length - s.horizon);
export const holdout = (s: BenchSeries): number[] => s.values.slice(s.values.length - s.horizon);
