// Seasonal adjustment around the non-seasonal methods: the 90% seasonality test and the re-seasonalised forecast.
import { sesSpec } from '../../../../libs/analytics/src/forecast/exp-smoothing/ses';
import { forecastEnd } from '../../../../libs/analytics/src/forecast/model';
import { isSeasonal, seasonallyAdjusted } from '../../../../libs/analytics/src/forecast/simple/seasonal-adjust';
import { seasonalIndices } from '../../../../libs/analytics/src/forecast/simple/seasonal-indices';
import { gaussianNoise } from './helpers';

const shape = [1.2, 0.7, 1.1, 1.0];
const seasonal = (n: number, seed = 1) => Float64Array.from(gaussianNoise(seed, n), (e, t) => 100 * shape[t % 4] + e);

describe('isSeasonal', () => {
  it('finds a clear season and rejects a constant and too short a series', () => {
    expect(isSeasonal(seasonal(40), 4)).toBe(true);
    expect(isSeasonal(new Float64Array(40).fill(3), 4)).toBe(false);
    expect(isSeasonal(seasonal(7), 4)).toBe(false);
    expect(isSeasonal(seasonal(40), 1)).toBe(false);
  });

  it('flags white noise as seasonal about as rarely as a 90% test should', () => {
    const seeds = Array.from({ length: 200 }, (_, i) => i + 1);
    const flagged = seeds.filter((seed) => isSeasonal(Float64Array.from(gaussianNoise(seed, 60)), 4)).length;
    expect(flagged / seeds.length).toBeLessThan(0.15);
  });

  it('finds the season of every noisy seasonal series', () => {
    for (let seed = 1; seed <= 50; seed++) expect(isSeasonal(seasonal(40, seed), 4)).toBe(true);
  });
});

describe('seasonalIndices', () => {
  it('recovers multiplicative indices with mean 1 and additive ones with sum 0', () => {
    const y = Float64Array.from({ length: 48 }, (_, t) => 50 * shape[t % 4]);
    const mult = seasonalIndices(y, 4, 'multiplicative');
    mult.forEach((s, i) => expect(s).toBeCloseTo(shape[i] / 1.0, 6));
    const add = seasonalIndices(y, 4, 'additive');
    expect(add.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    add.forEach((s, i) => expect(s).toBeCloseTo(50 * shape[i] - 50, 6));
  });
});

describe('seasonallyAdjusted', () => {
  it('forecasts the seasonal shape around the smoothed level of a seasonal series', () => {
    const y = seasonal(48, 3);
    const fit = seasonallyAdjusted(sesSpec).fit(y, 4);
    expect(fit.params.seasonPeriod).toBe(4);
    forecastEnd(fit, y, 8).forEach((f, k) => expect(Math.abs(f / (100 * shape[k % 4]) - 1)).toBeLessThan(0.03));
  });

  it('leaves a non-seasonal series alone and says so with seasonPeriod 1', () => {
    const y = Float64Array.from(gaussianNoise(5, 48), (e) => 100 + e);
    const fit = seasonallyAdjusted(sesSpec).fit(y, 4);
    expect(fit.params.seasonPeriod).toBe(1);
    expect(forecastEnd(fit, y, 4)).toEqual(forecastEnd(sesSpec.fit(y, 1), y, 4));
  });
});
