// Generators of the series the anomaly properties run on: a level, a trend, a season of any
// shape and bounded noise, so "clean" has a precise meaning (no point beyond the noise bound).
import fc from 'fast-check';

export interface SeriesSpec {
  period: number;
  length: number;
  level: number;
  slope: number;
  /** One value per phase, already scaled. */
  season: number[];
  /** Half-width of the uniform noise. */
  noise: number;
  /** Draws in [-1, 1], one per point. */
  draws: number[];
}

const MAX_LENGTH = 260;
/**
 * A number spread evenly over [min, max]. fc.double picks evenly among representable doubles,
 * most of which are tiny, so "noise" would be mostly exact zeros; noBias stops the pull
 * towards the bounds.
 */
export function evenly(min: number, max: number): fc.Arbitrary<number> {
  const steps = 1_000_000;
  return fc.noBias(fc.integer({ min: 0, max: steps })).map((k) => min + ((max - min) * k) / steps);
}

const unit = evenly(-1, 1);

/** At least six seasons (or 48 points without one): fewer, and any robust scale is a guess. */
export const seriesSpec: fc.Arbitrary<SeriesSpec> = fc
  .record({
    period: fc.constantFrom(1, 4, 7, 12, 24),
    cycles: fc.integer({ min: 6, max: 10 }),
    level: evenly(-1e4, 1e4),
    slope: evenly(-0.5, 0.5),
    seasonAmplitude: evenly(0, 50),
    shape: fc.array(unit, { minLength: 24, maxLength: 24 }),
    noise: evenly(0.05, 2),
    draws: fc.array(unit, { minLength: MAX_LENGTH, maxLength: MAX_LENGTH }),
  })
  .map(({ period, cycles, level, slope, seasonAmplitude, shape, noise, draws }) => ({
    period,
    length: Math.max(72, period * cycles),
    level,
    slope,
    season: shape.slice(0, period).map((s) => (period > 1 ? s * seasonAmplitude * noise : 0)),
    noise,
    draws,
  }));

export function build(spec: SeriesSpec): number[] {
  return Array.from({ length: spec.length }, (_, t) => spec.level + spec.slope * t + spec.season[t % spec.period] + spec.noise * spec.draws[t]);
}

export function seasonOption(spec: SeriesSpec): { seasonPeriod: number } {
  return { seasonPeriod: spec.period };
}
