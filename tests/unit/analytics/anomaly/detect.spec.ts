// Worked examples of anomaly detection: exact decompositions, the zero-MAD guard, season
// detection, and input errors that name their field.
import { AnomalyInputError, detectAnomalies } from '@opsloop/analytics';

const WEEK = [3, 5, -2, 0, 8, -9, -5];
const weekly = (weeks: number, slope = 0.5) => Array.from({ length: 7 * weeks }, (_, t) => 100 + slope * t + WEEK[t % 7]!);

function inputError(run: () => unknown): AnomalyInputError {
  try {
    run();
  } catch (err) {
    if (err instanceof AnomalyInputError) return err;
    throw err;
  }
  throw new Error('expected an AnomalyInputError');
}

describe('detectAnomalies', () => {
  it('reproduces a line plus a weekly season exactly, so nothing is flagged and no z reaches 1', () => {
    const values = weekly(8);
    const report = detectAnomalies(values, { seasonPeriod: 7 });
    report.points.forEach((p) => expect(p.expected).toBeCloseTo(values[p.index]!, 6));
    expect(report.points.every((p) => !p.anomaly && Math.abs(p.z) < 1)).toBe(true);
    expect(report).toMatchObject({ seasonPeriod: 7, seasonSource: 'given', threshold: 3.5, levelShift: null });
  });

  it('flags a 3-unit bump on the newest point of an exact series, with its expected value and a positive z', () => {
    const values = weekly(8);
    values[55] = values[55]! + 3;
    const report = detectAnomalies(values, { seasonPeriod: 7 });
    expect(report.points.filter((p) => p.anomaly).map((p) => p.index)).toEqual([55]);
    const last = report.points[55]!;
    expect(last.expected).toBeCloseTo(values[55]! - 3, 6);
    expect(last.residual).toBeCloseTo(3, 6);
    expect(last.z).toBeGreaterThan(3.5);
  });

  it('falls back to the mean absolute deviation when more than half the residuals are equal (MAD = 0)', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i === 7 ? 9 : 5));
    const report = detectAnomalies(values);
    expect(report.scaleFrom).toBe('mean-absolute-deviation');
    expect(report.points.filter((p) => p.anomaly).map((p) => p.index)).toEqual([7]);
    expect(report.method).toMatch(/mean absolute deviation/);
  });

  it('gives z = 0, not NaN, for a constant series', () => {
    const report = detectAnomalies(Array.from({ length: 12 }, () => 42));
    expect(report.points.map((p) => p.z)).toEqual(Array.from({ length: 12 }, () => 0));
    expect(report.scaleFrom).toBe('floor');
  });

  it('detects the season when it is not given, and uses none on a plain trend', () => {
    const noisy = weekly(10).map((v, t) => v + 0.3 * Math.sin(t * 12.9898));
    expect(detectAnomalies(noisy)).toMatchObject({ seasonPeriod: 7, seasonSource: 'detected' });
    expect(detectAnomalies(Array.from({ length: 30 }, (_, t) => 2 * t))).toMatchObject({ seasonPeriod: 1, seasonSource: 'none' });
    expect(detectAnomalies(noisy, { seasonPeriod: 1 })).toMatchObject({ seasonPeriod: 1, seasonSource: 'none' });
  });

  it('still finds the season and the outlier when one value is a billion', () => {
    const values = weekly(10).map((v, t) => v + 0.3 * Math.sin(t * 12.9898));
    values[33] = 1e9;
    const report = detectAnomalies(values);
    expect(report.seasonPeriod).toBe(7);
    expect(report.points.filter((p) => p.anomaly).map((p) => p.index)).toEqual([33]);
  });

  it('reports a clean step with its index, levels, size and direction, and fits the trend on each side', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i < 17 ? 10 : 4));
    const report = detectAnomalies(values);
    expect(report.levelShift).toMatchObject({ index: 17, before: 10, after: 4, size: -6, direction: 'down' });
    expect(report.points.some((p) => p.anomaly)).toBe(false);
    expect(report.method).toMatch(/level shift at 17/);
  });

  it('uses a custom threshold', () => {
    const values = weekly(8).map((v, t) => v + 0.2 * Math.sin(t * 78.233));
    values[20] = values[20]! + 1.2;
    const strict = detectAnomalies(values, { seasonPeriod: 7, threshold: 50 });
    const loose = detectAnomalies(values, { seasonPeriod: 7 });
    expect(strict.points.some((p) => p.anomaly)).toBe(false);
    expect(loose.points.filter((p) => p.anomaly).map((p) => p.index)).toEqual([20]);
  });

  it.each([
    ['an empty series', [], {}, 'values', /must not be empty/],
    ['NaN', [1, 2, Number.NaN, 4, 5, 6, 7, 8], {}, 'values[2]', /values\[2\] must be a finite number; got NaN/],
    ['Infinity', [1, 2, 3, Number.POSITIVE_INFINITY, 5, 6, 7, 8], {}, 'values[3]', /got Infinity/],
    ['a string among the values', [1, 2, '3', 4, 5, 6, 7, 8], {}, 'values[2]', /got "3"/],
    ['too few values', [1, 2, 3], {}, 'values', /at least 8 points; got 3/],
    ['a season longer than half the series', Array.from({ length: 20 }, () => 1), { seasonPeriod: 12 }, 'seasonPeriod', /needs at least 25 values/],
    ['a season of 0', Array.from({ length: 20 }, () => 1), { seasonPeriod: 0 }, 'seasonPeriod', /integer from 1/],
    ['a fractional season', Array.from({ length: 20 }, () => 1), { seasonPeriod: 2.5 }, 'seasonPeriod', /got 2.5/],
    ['a negative threshold', Array.from({ length: 20 }, () => 1), { threshold: -1 }, 'threshold', /above 0/],
    ['a NaN shift threshold', Array.from({ length: 20 }, () => 1), { shiftThreshold: Number.NaN }, 'shiftThreshold', /got NaN/],
  ])('refuses %s, naming the field', (_name, values, options, field, message) => {
    const err = inputError(() => detectAnomalies(values as number[], options));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});
