// Naive benchmarks: last value, last season, and their refusals.
import fc from 'fast-check';
import { naive, seasonalNaive } from '../../../../libs/analytics/src/forecast/simple/naive';
import { MethodNotApplicable } from '../../../../libs/analytics/src/forecast/types';

describe('naive', () => {
  it('forecasts the last value at every horizon', () => {
    expect(naive([3, 1, 4, 1, 5], {}).forecast(3)).toEqual([5, 5, 5]);
  });

  it('fits each point with the previous value and NaN for the first', () => {
    expect(naive([3, 1, 4], {}).fitted).toEqual([NaN, 3, 1]);
  });

  it('forecasts a constant series as that constant', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 50 }), (c, n) => {
        expect(naive(Array(n).fill(c), {}).forecast(5)).toEqual(Array(5).fill(c));
      }),
    );
  });

  it('refuses an empty series', () => {
    expect(() => naive([], {})).toThrow(MethodNotApplicable);
  });
});

describe('seasonal-naive', () => {
  it('reproduces a pure seasonal series exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 30 }),
        (season, cycles, horizon) => {
          const m = season.length;
          const series = Array.from({ length: m * cycles }, (_, t) => season[t % m]);
          const expected = Array.from({ length: horizon }, (_, i) => season[(m * cycles + i) % m]);
          expect(seasonalNaive(series, { seasonPeriod: m }).forecast(horizon)).toEqual(expected);
        },
      ),
    );
  });

  it('fits with the value one season back and NaN in the first season', () => {
    expect(seasonalNaive([1, 2, 3, 4, 5], { seasonPeriod: 2 }).fitted).toEqual([NaN, NaN, 1, 2, 3]);
  });

  it('forecasts a constant series as that constant', () => {
    expect(seasonalNaive(Array(10).fill(7), { seasonPeriod: 4 }).forecast(6)).toEqual(Array(6).fill(7));
  });

  it('refuses a series shorter than one season', () => {
    expect(() => seasonalNaive([1, 2, 3], { seasonPeriod: 4 })).toThrow(MethodNotApplicable);
  });

  it('refuses a missing or sub-2 season period', () => {
    expect(() => seasonalNaive([1, 2, 3], {})).toThrow(MethodNotApplicable);
    expect(() => seasonalNaive([1, 2, 3], { seasonPeriod: 1 })).toThrow(MethodNotApplicable);
  });
});
