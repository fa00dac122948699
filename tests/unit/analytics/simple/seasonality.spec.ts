// Season-length detection from detrended autocorrelation.
import fc from 'fast-check';
import { detectSeasonPeriod } from '../../../../libs/analytics/src/forecast/simple/seasonality';
import { gaussianNoise } from './helpers';

describe('detectSeasonPeriod', () => {
  it('finds 12 in a period-12 sine with noise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const noise = gaussianNoise(seed, 120);
        const series = noise.map((e, t) => 10 * Math.sin((2 * Math.PI * t) / 12) + 2 * e);
        expect(detectSeasonPeriod(series)).toBe(12);
      }),
      { numRuns: 50 },
    );
  });

  it('finds 7 in a noisy weekly pattern riding on a trend', () => {
    const week = [10, 12, 11, 13, 20, 30, 25];
    const noise = gaussianNoise(42, 140);
    const series = noise.map((e, t) => week[t % 7] + 0.3 * t + e);
    expect(detectSeasonPeriod(series)).toBe(7);
  });

  it('returns 1 on white noise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        expect(detectSeasonPeriod(gaussianNoise(seed, 200))).toBe(1);
      }),
      { numRuns: 50 },
    );
  });

  it('returns 1 on a pure linear trend', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.integer({ min: 4, max: 200 }),
        (intercept, slope, n) => {
          expect(detectSeasonPeriod(Array.from({ length: n }, (_, t) => intercept + slope * t))).toBe(1);
        },
      ),
    );
  });

  it('returns 1 when there are fewer than two full seasons of any candidate', () => {
    const series = Array.from({ length: 20 }, (_, t) => Math.sin((2 * Math.PI * t) / 12));
    expect(detectSeasonPeriod(series, [12])).toBe(1);
  });

  it('only considers the candidates it is given', () => {
    const series = Array.from({ length: 96 }, (_, t) => Math.sin((2 * Math.PI * t) / 12));
    expect(detectSeasonPeriod(series, [7, 5])).toBe(1);
    expect(detectSeasonPeriod(series, [12])).toBe(12);
  });
});
