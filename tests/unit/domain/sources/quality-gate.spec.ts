import fc from 'fast-check';
import { flagOutliers, GateInput, qualityReport, SeriesPoints, SourceQualityReport } from '@opsloop/domain';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 1);

function points(series: Record<string, [number, number | null][]>, maxSeries?: number, watch: string[] = []): SeriesPoints {
  const p = new SeriesPoints(maxSeries, watch);
  for (const [key, list] of Object.entries(series)) for (const [ts, v] of list) p.add(key, ts, v);
  return p;
}

const hourly = (n: number, value: (i: number) => number = () => 10): [number, number][] => Array.from({ length: n }, (_, i) => [T0 + i * HOUR, value(i)]);

function gate(over: Partial<GateInput>): SourceQualityReport {
  return qualityReport({
    rowsReceived: 24, rowsQuarantined: 0, duplicatesInBatch: 0, duplicatesStored: 0, onDuplicate: 'skip',
    points: points({ 'A|s1': hourly(24) }), expectations: {}, gatePolicy: 'warn', nowMs: T0 + 24 * HOUR, ...over,
  });
}

const check = (r: SourceQualityReport, name: string) => r.checks.find((c) => c.name === name)!;

describe('quality gate', () => {
  it('passes a clean batch with all five checks reported', () => {
    const r = gate({ expectations: { expectedCadenceSeconds: 3600, expectedSeries: ['A|s1'] } });
    expect(r.checks.map((c) => c.name)).toEqual(['schema', 'duplicates', 'freshness', 'completeness', 'outliers']);
    expect(r).toMatchObject({ ok: true, blocking: false });
  });

  it('fails schema when rows were quarantined, and blocks only under the block policy', () => {
    const warn = gate({ rowsQuarantined: 3 });
    expect(check(warn, 'schema')).toEqual({ name: 'schema', ok: false, message: '3 of 24 rows failed the schema and were quarantined' });
    expect(warn).toMatchObject({ ok: false, blocking: false });
    expect(gate({ rowsQuarantined: 3, gatePolicy: 'block' })).toMatchObject({ ok: false, blocking: true });
  });

  it('fails duplicates for keys repeated inside the batch, not for the idempotent re-send of stored keys', () => {
    expect(check(gate({ duplicatesStored: 24 }), 'duplicates')).toMatchObject({ ok: true, message: expect.stringContaining('24 rows were already stored (skipped)') });
    expect(check(gate({ duplicatesInBatch: 2, onDuplicate: 'upsert' }), 'duplicates'))
      .toMatchObject({ ok: false, message: expect.stringContaining('2 rows repeat a unique key seen earlier in the batch (the last one wins)') });
  });

  it('fails freshness when the newest point is older than the cadence, unless a newer one is already stored', () => {
    const stale = gate({ expectations: { expectedCadenceSeconds: 3600 }, nowMs: T0 + 30 * HOUR });
    expect(check(stale, 'freshness')).toMatchObject({ ok: false, message: expect.stringContaining('over the expected cadence of 3600 s') });
    const backfill = gate({ expectations: { expectedCadenceSeconds: 3600 }, nowMs: T0 + 30 * HOUR, storedNewestMs: T0 + 29.5 * HOUR });
    expect(check(backfill, 'freshness').ok).toBe(true);
  });

  it('fails completeness for a missing expected series and for a gap over the tolerance', () => {
    const missing = gate({ expectations: { expectedSeries: ['A|s1', 'B|s1'] } });
    expect(check(missing, 'completeness')).toMatchObject({ ok: false, message: '1 expected series missing: B|s1' });
    const withGap = hourly(24).filter((_, i) => i !== 5 && i !== 6);
    const gap = gate({ points: points({ 'A|s1': withGap }), expectations: { expectedCadenceSeconds: 3600 } });
    expect(check(gap, 'completeness')).toMatchObject({ ok: false, message: expect.stringContaining('A|s1 between 2024-05-01T04:00:00.000Z and 2024-05-01T07:00:00.000Z') });
    const tolerated = gate({ points: points({ 'A|s1': withGap }), expectations: { expectedCadenceSeconds: 3600, maxGapIntervals: 3 } });
    expect(check(tolerated, 'completeness').ok).toBe(true);
  });

  it('tolerates jitter and unordered points inside a series', () => {
    const jittered = hourly(24).map(([ts, v], i): [number, number] => [ts + (i % 2) * 120_000, v]).reverse();
    expect(check(gate({ points: points({ 'A|s1': jittered }), expectations: { expectedCadenceSeconds: 3600 } }), 'completeness').ok).toBe(true);
  });

  it('flags an outlier but keeps the gate passing', () => {
    const r = gate({ points: points({ 'A|s1': hourly(24, (i) => (i === 9 ? 500 : 10 + (i % 3))) }) });
    expect(check(r, 'outliers')).toEqual({ name: 'outliers', ok: true, message: expect.stringContaining('1 values flagged (robust z-score over 5) in 1 series, kept; e.g. A|s1 at 2024-05-01T09:00:00.000Z: 500') });
    expect(r.ok).toBe(true);
  });

  it('finds a lone spike even when most values are identical (MAD of zero)', () => {
    const r = gate({ points: points({ 'A|s1': hourly(24, (i) => (i === 3 ? 90 : 10)) }) });
    expect(check(r, 'outliers').message).toContain('1 values flagged');
  });

  it('judges outliers per series, so series of different scales do not flag each other', () => {
    const r = gate({ points: points({ small: hourly(24, (i) => 1 + (i % 2)), big: hourly(24, (i) => 1000 + (i % 5)) }) });
    expect(check(r, 'outliers').message).toMatch(/^no value with a robust z-score over 5/);
  });

  it('stops tracking new series past the cap but still sees expected ones', () => {
    const p = points({ a: hourly(3), b: hourly(3), c: hourly(3) }, 1, ['c']);
    expect(p.has('c')).toBe(true);
    expect(p.untrackedPoints).toBe(6);
    expect(p.newestMs).toBe(T0 + 2 * HOUR);
  });

  it('hands over every series with all its points, across more points than one storage block', () => {
    const p = new SeriesPoints();
    const n = 150_000;
    for (let i = 0; i < n; i++) p.add(`s${(i * 7919) % 13}`, i, i % 2 ? (i * 7919) % 13 : null);
    const seen = new Set<number>();
    let series = 0;
    p.forEachSeries((key, ts, values) => {
      series += 1;
      const id = Number(key.slice(1));
      ts.forEach((t, k) => {
        expect((t * 7919) % 13).toBe(id);
        if (!Number.isNaN(values[k]!)) expect(values[k]).toBe(id);
        seen.add(t);
      });
    });
    expect(series).toBe(13);
    expect(seen.size).toBe(n);
  });

  it('flags at most half of a series, the same points whatever the unit or sign (property)', () => {
    const count = (values: number[]) =>
      flagOutliers(new Float64Array(values.map((_, i) => i)), new Float64Array(values), 5, new Float64Array(values.length)).count;
    fc.assert(fc.property(fc.array(fc.integer({ min: -100_000, max: 100_000 }).map((cents) => cents / 100), { minLength: 5, maxLength: 200 }), (values) => {
      const flagged = count(values);
      expect(flagged).toBeLessThanOrEqual(Math.floor(values.length / 2));
      expect(count(values.map((v) => v * 2))).toBe(flagged);
      expect(count(values.map((v) => -v))).toBe(flagged);
    }));
  });
});
