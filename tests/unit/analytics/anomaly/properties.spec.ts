// Properties of anomaly detection over generated series: level, trend, any season shape and
// bounded noise. Seeds are fixed: at the default cut-off the detector has a small false-alarm
// rate even on bounded noise (about 1 series in 2,500 here), and a suite must not flicker.
import fc from 'fast-check';
import { detectAnomalies } from '@opsloop/analytics';
import { build, evenly, seasonOption, SeriesSpec, seriesSpec } from './series';

const RUNS = { numRuns: 100, seed: 20_251_201 };
const flagged = (values: number[], spec: SeriesSpec) => detectAnomalies(values, seasonOption(spec)).points.filter((p) => p.anomaly).map((p) => p.index);
const withSpike = (values: number[], at: number, size: number) => values.map((v, i) => (i === at ? v + size : v));

describe('anomaly detection properties', () => {
  it('flags nothing in a clean series: trend, season and bounded noise only', () => {
    fc.assert(fc.property(seriesSpec, (spec) => {
      expect(flagged(build(spec), spec)).toEqual([]);
    }), RUNS);
  });

  it('flags a spike of 10 to 50 noise widths injected anywhere, and nothing else', () => {
    fc.assert(fc.property(seriesSpec, fc.nat(), evenly(10, 50), fc.boolean(), (spec, where, size, up) => {
      const at = where % spec.length;
      expect(flagged(withSpike(build(spec), at, (up ? 1 : -1) * size * spec.noise), spec)).toEqual([at]);
    }), RUNS);
  });

  it('is not moved by one huge outlier: only it is flagged and every other expected value stays within the noise', () => {
    fc.assert(fc.property(seriesSpec, fc.nat(), fc.constantFrom(1e6, -1e6, 1e9, -1e12), (spec, where, wild) => {
      const clean = build(spec);
      const at = where % spec.length;
      const dirty = clean.map((v, i) => (i === at ? wild : v));
      const before = detectAnomalies(clean, seasonOption(spec));
      const after = detectAnomalies(dirty, seasonOption(spec));
      expect(after.points.filter((p) => p.anomaly).map((p) => p.index)).toEqual([at]);
      for (const p of after.points) if (p.index !== at) expect(Math.abs(p.expected - before.points[p.index]!.expected)).toBeLessThan(spec.noise);
      expect(after.scale).toBeLessThan(2 * before.scale);
    }), RUNS);
  });

  it('finds a level shift within one point of where it starts, with its direction and about its size', () => {
    fc.assert(fc.property(seriesSpec, evenly(0, 1), evenly(12, 40), fc.boolean(), (spec, where, size, up) => {
      const window = Math.max(spec.period, 5);
      const at = window + Math.floor(where * (spec.length - 2 * window));
      const jump = (up ? 1 : -1) * size * spec.noise;
      const shift = detectAnomalies(build(spec).map((v, i) => (i >= at ? v + jump : v)), seasonOption(spec)).levelShift;
      expect(shift).not.toBeNull();
      expect(Math.abs(shift!.index - at)).toBeLessThanOrEqual(1);
      expect(shift!.direction).toBe(up ? 'up' : 'down');
      expect(Math.abs(shift!.size - jump)).toBeLessThan(2 * spec.noise);
    }), RUNS);
  });

  it('reports no level shift in a clean series, however steep its trend', () => {
    fc.assert(fc.property(seriesSpec, (spec) => {
      expect(detectAnomalies(build(spec), seasonOption(spec)).levelShift).toBeNull();
    }), RUNS);
  });

  it('gives the same flags and z-scores when the series is rescaled and shifted (a·x + b, a > 0)', () => {
    fc.assert(fc.property(seriesSpec, evenly(-3, 3), evenly(-1e5, 1e5), fc.nat(), (spec, logScale, offset, where) => {
      const values = withSpike(build(spec), where % spec.length, 8 * spec.noise);
      const scale = 10 ** logScale;
      const a = detectAnomalies(values, seasonOption(spec));
      const b = detectAnomalies(values.map((v) => scale * v + offset), seasonOption(spec));
      expect(b.points.map((p) => p.anomaly)).toEqual(a.points.map((p) => p.anomaly));
      b.points.forEach((p, i) => expect(p.z).toBeCloseTo(a.points[i]!.z, 4));
    }), RUNS);
  });

  it('leaves the caller\'s array unchanged and gives the same report twice', () => {
    fc.assert(fc.property(seriesSpec, (spec) => {
      const values = Object.freeze(build(spec));
      expect(detectAnomalies(values, seasonOption(spec))).toEqual(detectAnomalies([...values], seasonOption(spec)));
    }), { ...RUNS, numRuns: 30 });
  });
});
