/**
 * The shapes of anomaly detection: what a caller passes, what it gets back, and the error that
 * names the bad field. Kept apart so the policy layer can import types without the maths.
 */
export interface AnomalyOptions {
  /**
   * Season length in points (e.g. 24 for hourly data with a daily cycle). 1 means no season;
   * left out, the season is detected from the data and none is used when nothing is found.
   */
  seasonPeriod?: number;
  /** |z| at or above this flags a point. Default 3.5 (Iglewicz and Hoaglin's cut-off). */
  threshold?: number;
  /** A level shift must move the level by at least this many noise standard deviations. Default 5. */
  shiftThreshold?: number;
}

export interface AnomalyPoint {
  index: number;
  value: number;
  /** Trend plus season at this point: what the decomposition says the value should be. */
  expected: number;
  residual: number;
  /** Robust z-score of the residual: (residual − median) / robust sigma. */
  z: number;
  anomaly: boolean;
}

export interface LevelShift {
  /** First index at the new level. */
  index: number;
  /** Median (deseasonalised) level of the window before and after the index. */
  before: number;
  after: number;
  /** after − before, less the drift the series' own trend explains. */
  size: number;
  direction: 'up' | 'down';
  /** |size| in noise standard deviations. */
  score: number;
}

export interface AnomalyReport {
  points: AnomalyPoint[];
  levelShift: LevelShift | null;
  /** How expected values and z were computed, in words a person can check. */
  method: string;
  /** Season length used; 1 when none. */
  seasonPeriod: number;
  seasonSource: 'given' | 'detected' | 'none';
  threshold: number;
  /** Median of the residuals, the z-score's centre. */
  center: number;
  /** Robust sigma of the residuals, the z-score's unit. */
  scale: number;
  /** How `scale` was obtained: MAD, or the mean absolute deviation when the MAD is 0. */
  scaleFrom: 'mad' | 'mean-absolute-deviation' | 'floor';
}

/** Bad input, with the field it concerns (`values`, `values[3]`, `seasonPeriod`, `threshold`). */
export class AnomalyInputError extends Error {
  override readonly name = 'AnomalyInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
