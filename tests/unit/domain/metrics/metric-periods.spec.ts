import fc from 'fast-check';
import {
  addGrainBuckets, checkMetricValuesQuery, comparisonBucketOf, comparisonRangeOf, grainBucketRange, grainBucketStart, lastGrainBuckets, METRIC_GRAINS,
  MetricDefinition, metricReadRange, withMetricComparison,
} from '@opsloop/domain';

const d = (s: string) => new Date(s);
const iso = (x: Date) => x.toISOString();
const instants = fc.date({ min: d('1990-01-01T00:00:00Z'), max: d('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('grain buckets (UTC, weeks from Monday, like date_trunc)', () => {
  it('starts hours, days, ISO weeks and months where Postgres does', () => {
    const at = d('2025-03-05T17:45:12.345Z'); // a Wednesday
    expect(iso(grainBucketStart(at, 'hour'))).toBe('2025-03-05T17:00:00.000Z');
    expect(iso(grainBucketStart(at, 'day'))).toBe('2025-03-05T00:00:00.000Z');
    expect(iso(grainBucketStart(at, 'week'))).toBe('2025-03-03T00:00:00.000Z');
    expect(iso(grainBucketStart(d('2025-03-09T23:59:59Z'), 'week'))).toBe('2025-03-03T00:00:00.000Z'); // Sunday
    expect(iso(grainBucketStart(at, 'month'))).toBe('2025-03-01T00:00:00.000Z');
  });

  it('holds every instant in the bucket it starts, and the next bucket starts after it', () => {
    fc.assert(fc.property(instants, fc.constantFrom(...METRIC_GRAINS), (at, grain) => {
      const start = grainBucketStart(at, grain);
      expect(start <= at).toBe(true);
      expect(at < addGrainBuckets(start, grain, 1)).toBe(true);
      expect(grainBucketStart(start, grain)).toEqual(start);
    }));
  });

  it('steps whole buckets forward and back again', () => {
    fc.assert(fc.property(instants, fc.constantFrom(...METRIC_GRAINS), fc.integer({ min: -500, max: 500 }), (at, grain, n) => {
      const start = grainBucketStart(at, grain);
      expect(addGrainBuckets(addGrainBuckets(start, grain, n), grain, -n)).toEqual(start);
      const range = grainBucketRange(start, addGrainBuckets(start, grain, Math.abs(n) + 1), grain);
      expect(range.buckets).toBe(Math.abs(n) + 1);
    }));
  });

  it('widens a range to whole buckets, the bucket holding `to` excluded only when `to` starts it', () => {
    expect(grainBucketRange(d('2025-03-05T10:00:00Z'), d('2025-03-07T00:00:00Z'), 'day')).toEqual({ from: d('2025-03-05T00:00:00Z'), to: d('2025-03-07T00:00:00Z'), buckets: 2 });
    expect(grainBucketRange(d('2025-03-05T10:00:00Z'), d('2025-03-07T00:00:01Z'), 'day').buckets).toBe(3);
    expect(grainBucketRange(d('2025-01-31T00:00:00Z'), d('2025-03-01T00:00:00Z'), 'month').buckets).toBe(2);
  });

  it('gives the last N buckets before an instant, oldest first', () => {
    expect(lastGrainBuckets(d('2025-03-05T10:00:00Z'), 'day', 3).map(iso)).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z', '2025-03-05T00:00:00.000Z']);
    expect(lastGrainBuckets(d('2025-03-05T00:00:00Z'), 'day', 1).map(iso)).toEqual(['2025-03-04T00:00:00.000Z']);
  });
});

describe('period comparisons', () => {
  it('compares with the period of the same length just before', () => {
    const range = grainBucketRange(d('2025-03-10T00:00:00Z'), d('2025-03-17T00:00:00Z'), 'day');
    expect(iso(comparisonBucketOf(d('2025-03-12T00:00:00Z'), 'day', 'previous-period', range.buckets))).toBe('2025-03-05T00:00:00.000Z');
    expect(comparisonRangeOf(range, 'day', 'previous-period')).toEqual({ from: d('2025-03-03T00:00:00Z'), to: d('2025-03-10T00:00:00Z'), buckets: 7 });
  });

  it('compares with last year: 12 months, 52 weeks, or the same calendar day (29 February with 28 February)', () => {
    expect(iso(comparisonBucketOf(d('2025-03-01T00:00:00Z'), 'month', 'same-period-last-year', 1))).toBe('2024-03-01T00:00:00.000Z');
    expect(iso(comparisonBucketOf(d('2025-03-03T00:00:00Z'), 'week', 'same-period-last-year', 1))).toBe('2024-03-04T00:00:00.000Z');
    expect(iso(comparisonBucketOf(d('2024-02-29T00:00:00Z'), 'day', 'same-period-last-year', 1))).toBe('2023-02-28T00:00:00.000Z');
    expect(iso(comparisonBucketOf(d('2025-07-04T13:00:00Z'), 'hour', 'same-period-last-year', 1))).toBe('2024-07-04T13:00:00.000Z');
  });

  it('attaches the change, absolute and relative, and no relative change on a zero or missing base', () => {
    const rows = [
      { bucket: '2025-03-02T00:00:00.000Z', dims: { region: 'n' }, value: 12, nullReason: null },
      { bucket: '2025-03-02T00:00:00.000Z', dims: { region: 's' }, value: 3, nullReason: null },
      { bucket: '2025-03-03T00:00:00.000Z', dims: { region: 'n' }, value: null, nullReason: 'zero denominator' },
    ];
    const base = [
      { bucket: '2025-03-01T00:00:00.000Z', dims: { region: 'n' }, value: -8, nullReason: null },
      { bucket: '2025-03-01T00:00:00.000Z', dims: { region: 's' }, value: 0, nullReason: null },
      { bucket: '2025-03-02T00:00:00.000Z', dims: { region: 'n' }, value: 5, nullReason: null },
    ];
    expect(withMetricComparison(rows, base, 'day', 'previous-period', 1).map((r) => r.comparison)).toEqual([
      { bucket: '2025-03-01T00:00:00.000Z', value: -8, change: 20, changeRatio: 2.5 },
      { bucket: '2025-03-01T00:00:00.000Z', value: 0, change: 3, changeRatio: null },
      { bucket: '2025-03-02T00:00:00.000Z', value: 5, change: null, changeRatio: null },
    ]);
  });
});

describe('values query checks', () => {
  const def = { key: 'sales', version: 2, grain: 'day', dimensions: ['region', 'store'] } as MetricDefinition;

  it('names an unknown group-by or filter dimension', () => {
    expect(checkMetricValuesQuery(def, { groupBy: ['region', 'colour'], dims: { size: 'L' } })).toEqual([
      { field: 'groupBy', messages: ['groupBy: unknown dimension "colour" for metric sales v2 (allowed: region, store)'] },
      { field: 'dims[size]', messages: ['dims[size]: unknown dimension "size" for metric sales v2 (allowed: region, store)'] },
    ]);
    expect(checkMetricValuesQuery(def, { groupBy: ['store'], dims: { region: 'n' } })).toEqual([]);
  });

  it('reads 100 buckets up to now by default, and refuses a backwards or oversized range', () => {
    const now = d('2025-03-05T10:00:00Z');
    expect(metricReadRange(def, {}, now)).toEqual({ from: d('2024-11-26T00:00:00Z'), to: d('2025-03-06T00:00:00Z'), buckets: 100 });
    expect(metricReadRange(def, { from: '2025-03-05T00:00:00Z', to: '2025-03-01T00:00:00Z' }, now)).toEqual({ field: 'from', messages: ['from must be before to'] });
    expect(metricReadRange(def, { from: '1990-01-01T00:00:00Z' }, now)).toMatchObject({ field: 'from', messages: [expect.stringContaining('at most 10000')] });
  });
});
