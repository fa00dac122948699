import fc from 'fast-check';
import { MetricFilter, SourceSchema } from '@opsloop/domain';
import { buildMetricQuery, MetricPlan, MetricScope, SourcedMetric } from '@opsloop/persistence';

const HOSTILE = [`x'); DROP TABLE observations; --`, `"; DELETE FROM sources; --`, `$1); --`, `a' OR '1'='1`, `\\'; select pg_sleep(10); --`];

/** A metric whose every user-chosen name and value is `names[i]` / `values[i]`. */
function metric(names: { measure: string; dim: string; text: string; flag: string }, values: { text: string; num: number }): SourcedMetric {
  const schema: SourceSchema = {
    fields: [
      { name: 'ts', type: 'timestamp', required: true },
      { name: names.measure, type: 'number', required: true },
      { name: names.dim, type: 'string', required: true },
      { name: names.text, type: 'string', required: false },
      { name: names.flag, type: 'boolean', required: false },
    ],
    uniqueKey: ['ts'], timeField: 'ts', seriesKey: [], dimensions: [names.dim],
  };
  const filter: MetricFilter[] = [
    { field: names.text, op: 'eq', value: values.text },
    { field: names.text, op: 'in', value: [values.text, `${values.text}2`] },
    { field: names.measure, op: 'gt', value: values.num },
    { field: names.flag, op: 'neq', value: true },
  ];
  return { sourceId: '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab', schema, aggregation: { type: 'percentile', p: 0.9 }, measure: names.measure, filter };
}

function scope(dim: string, dimValue: string): MetricScope {
  return {
    grain: 'week', dimensions: [dim], grouping: 'all-subsets', from: new Date('2025-01-06T00:00:00Z'), to: new Date('2025-02-03T00:00:00Z'),
    buckets: [new Date('2025-01-13T00:00:00Z')], ingestedAtOrBefore: new Date('2025-02-01T00:00:00Z'), dimFilter: { [dim]: dimValue },
  };
}

function build(names: { measure: string; dim: string; text: string; flag: string }, values: { text: string; num: number }, ratio = false) {
  const m = metric(names, values);
  const plan: MetricPlan = ratio ? { kind: 'ratio', numerator: m, denominator: { ...m, aggregation: { type: 'count' } } } : { kind: 'sourced', metric: m };
  return buildMetricQuery(plan, scope(names.dim, values.text));
}

const PLAIN = { measure: 'amount', dim: 'region', text: 'status', flag: 'vip' };

describe('metric SQL builder', () => {
  it.each(HOSTILE)('passes the hostile name or value %s only as a parameter', (evil) => {
    const q = build({ measure: evil, dim: `${evil}d`, text: `${evil}t`, flag: `${evil}f` }, { text: evil, num: 5 });
    expect(q.text).not.toContain(evil);
    expect(q.text).not.toMatch(/DROP|DELETE|pg_sleep|'1'='1/);
    expect(q.values).toEqual(expect.arrayContaining([evil, `${evil}d`, `${evil}t`, `${evil}f`, [evil, `${evil}2`]]));
  });

  it('builds the same SQL text whatever the names and values, so user input can only ever be data', () => {
    const reference = build(PLAIN, { text: 'open', num: 1 }).text;
    const referenceRatio = build(PLAIN, { text: 'open', num: 1 }, true).text;
    const name = fc.string({ minLength: 1, maxLength: 30 });
    fc.assert(fc.property(fc.uniqueArray(name, { minLength: 4, maxLength: 4 }).filter((n) => !n.includes('ts')), fc.string(), fc.double({ noNaN: true }), (n, text, num) => {
      const names = { measure: n[0]!, dim: n[1]!, text: n[2]!, flag: n[3]! };
      expect(build(names, { text, num }).text).toBe(reference);
      expect(build(names, { text, num }, true).text).toBe(referenceRatio);
    }));
  });

  it('numbers every placeholder it uses, one value each, with an explicit type', () => {
    for (const q of [build(PLAIN, { text: 'open', num: 1 }), build(PLAIN, { text: 'open', num: 1 }, true)]) {
      const used = new Set([...q.text.matchAll(/\$(\d+)::/g)].map((m) => Number(m[1])));
      expect([...used].sort((a, b) => a - b)).toEqual(q.values.map((_, i) => i + 1));
      expect(q.text).not.toMatch(/\$\d+(?!\d|::)/);
    }
  });

  it('passes the grain and the percentile rank as parameters, and picks SQL only from fixed lists', () => {
    const q = build(PLAIN, { text: 'open', num: 1 });
    expect(q.values).toEqual(expect.arrayContaining(['week', 0.9]));
    expect(q.text).toContain('percentile_cont($');
    expect(q.text).toContain('CUBE (obs.d0)');
    expect(q.text).not.toContain('week');
  });

  it('refuses a field the schema no longer has instead of computing something else', () => {
    const m = metric(PLAIN, { text: 'open', num: 1 });
    const gone = { ...m, schema: { ...m.schema, fields: m.schema.fields.filter((f) => f.name !== 'status') } };
    expect(() => buildMetricQuery({ kind: 'sourced', metric: gone }, scope('region', 'n'))).toThrow('Metric refers to field "status", which the source schema no longer has');
  });
});
