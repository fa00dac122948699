import { checkMetricDefinition, MetricDefinition, MetricDefinitionInput, SourceSchema } from '@opsloop/domain';

const SCHEMA: SourceSchema = {
  fields: [
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'amount', type: 'number', required: true },
    { name: 'qty', type: 'integer', required: false },
    { name: 'status', type: 'string', required: true, allowed: ['open', 'closed'] },
    { name: 'region', type: 'string', required: true },
    { name: 'vip', type: 'boolean', required: false },
    { name: 'email', type: 'string', required: false, personal: 'hash' },
  ],
  uniqueKey: ['ts'],
  timeField: 'ts',
  seriesKey: ['region'],
  valueField: 'amount',
  dimensions: ['region', 'status'],
};

const SOURCE = '6f1c1d3e-8a1b-4d2a-9c1e-1234567890ab';
const input = (extra: Partial<MetricDefinitionInput> = {}): MetricDefinitionInput => ({
  key: 'revenue', name: 'Revenue', owner: 'finance', unit: 'EUR', source: SOURCE, aggregation: { type: 'sum' }, grain: 'day', ...extra,
});
const check = (extra: Partial<MetricDefinitionInput> = {}, schema: SourceSchema | null = SCHEMA) => checkMetricDefinition(input(extra), { sourceSchema: schema });
const fields = (extra: Partial<MetricDefinitionInput>, schema?: SourceSchema | null) => check(extra, schema).errors.map((e) => e.field);
const messages = (extra: Partial<MetricDefinitionInput>) => check(extra).errors.flatMap((e) => e.messages).join('\n');

function stored(key: string, extra: Partial<MetricDefinition> = {}): MetricDefinition {
  return {
    key, version: 3, name: key, description: '', owner: 'o', unit: 'u', source: SOURCE, measure: 'amount', aggregation: { type: 'sum' }, filter: [],
    grain: 'day', dimensions: ['region', 'status'], target: null, thresholds: null, createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'admin', ...extra,
  };
}

describe('metric definition checks', () => {
  it('accepts a sum over the source value field and fills in the defaults', () => {
    const { errors, definition } = check({ dimensions: ['status', 'region'] });
    expect(errors).toEqual([]);
    expect(definition).toEqual({
      key: 'revenue', name: 'Revenue', description: '', owner: 'finance', unit: 'EUR', source: SOURCE, measure: 'amount', aggregation: { type: 'sum' },
      filter: [], grain: 'day', dimensions: ['region', 'status'], target: null, thresholds: null,
    });
  });

  it('refuses an unknown measure field, naming it and listing the fields there are', () => {
    expect(fields({ measure: 'amout' })).toEqual(['measure']);
    expect(messages({ measure: 'amout' })).toContain('measure: unknown field "amout" in the source schema (fields: ts, amount, qty, status, region, vip, email)');
  });

  it('refuses a measure that is not a number', () => {
    expect(messages({ measure: 'region' })).toContain('measure: field "region" is a string, not a number');
  });

  it('needs a measure when the source has no value field, except to count', () => {
    const noValue = { ...SCHEMA, valueField: undefined };
    expect(fields({}, noValue)).toEqual(['measure']);
    expect(fields({ aggregation: { type: 'count' } }, noValue)).toEqual([]);
    expect(fields({ aggregation: { type: 'count' }, measure: 'amount' })).toEqual(['measure']);
  });

  it('refuses a dimension the source does not declare, naming it', () => {
    expect(fields({ dimensions: ['region', 'vip'] })).toEqual(['dimensions']);
    expect(messages({ dimensions: ['region', 'vip'] })).toContain(`dimensions: unknown dimension "vip"; the source's dimensions are: region, status`);
    expect(messages({ dimensions: ['region', 'region'] })).toContain('"region" is listed twice');
  });

  it('refuses an unknown or missing source', () => {
    expect(messages({})).toBe('');
    expect(check({}, null).errors).toEqual([{ field: 'source', messages: [`source: no source with id ${SOURCE}`] }]);
    expect(fields({ source: undefined })).toEqual(['source']);
  });

  it('checks each filter against the field it names', () => {
    const errors = check({
      filter: [
        { field: 'stat', op: 'eq', value: 'open' },
        { field: 'status', op: 'gt', value: 'open' },
        { field: 'status', op: 'eq', value: 'clsoed' },
        { field: 'qty', op: 'in', value: [] },
        { field: 'amount', op: 'gte', value: '5' },
        { field: 'email', op: 'eq', value: 'a@b.c' },
        { field: 'ts', op: 'lt', value: 'yesterday' },
        { field: 'vip', op: 'eq', value: [true] },
      ],
    }).errors;
    expect(errors.map((e) => [e.field, e.messages[0]])).toEqual([
      ['filter.0.field', expect.stringContaining('unknown field "stat"')],
      ['filter.1.op', 'filter.1.op: gt does not apply to the string field "status" (use eq, neq, in)'],
      ['filter.2.value', 'filter.2.value "clsoed" is not one of the values "status" allows (open, closed)'],
      ['filter.3.value', 'filter.3.value must be a non-empty list for "in"'],
      ['filter.4.value', 'filter.4.value must be a finite number for the number field "amount"'],
      ['filter.5.field', 'filter.5.field: "email" is personal data stored as a hash; it cannot be filtered by value'],
      ['filter.6.value', 'filter.6.value must be an ISO-8601 instant for the timestamp field "ts"'],
      ['filter.7.value', 'filter.7.value must be a single value (only "in" takes a list)'],
    ]);
  });

  it('accepts well-typed filters', () => {
    const filter: MetricDefinitionInput['filter'] = [
      { field: 'status', op: 'in', value: ['open', 'closed'] }, { field: 'qty', op: 'lte', value: 3 },
      { field: 'vip', op: 'neq', value: true }, { field: 'ts', op: 'gte', value: '2025-01-01T00:00:00Z' },
    ];
    expect(check({ filter }).definition?.filter).toEqual(filter);
  });

  it('needs a distinct-count field that exists, and a percentile rank strictly between 0 and 1', () => {
    expect(fields({ aggregation: { type: 'distinct-count', field: 'mail' } })).toEqual(['aggregation.field']);
    expect(check({ aggregation: { type: 'distinct-count', field: 'email' } }).definition).toMatchObject({ measure: null });
    expect(fields({ aggregation: { type: 'percentile', p: 1 } })).toEqual(['aggregation.p']);
    expect(fields({ aggregation: { type: 'percentile', p: 0 } })).toEqual(['aggregation.p']);
    expect(fields({ aggregation: { type: 'percentile', p: 0.9, field: 'status' } })).toEqual(['aggregation.field']);
    expect(check({ aggregation: { type: 'percentile', p: 0.9, field: 'qty' } }).definition).toMatchObject({ measure: null, aggregation: { p: 0.9, field: 'qty' } });
  });

  it('refuses a key that is not a slug, and thresholds in the wrong order', () => {
    expect(fields({ key: 'Revenue Total' })).toEqual(['key']);
    expect(fields({ thresholds: { warn: 10, critical: 5, direction: 'above' } })).toEqual(['thresholds.critical']);
    expect(fields({ thresholds: { warn: 10, critical: 5, direction: 'below' } })).toEqual([]);
    expect(fields({ thresholds: { direction: 'below' } })).toEqual(['thresholds']);
  });

  describe('ratio', () => {
    const ratio = (extra: Partial<MetricDefinitionInput> = {}): MetricDefinitionInput =>
      ({ key: 'margin', name: 'm', owner: 'o', unit: '%', grain: 'day', aggregation: { type: 'ratio', numerator: 'profit', denominator: 'revenue' }, ...extra });

    it('pins the versions of both parts', () => {
      const result = checkMetricDefinition(ratio({ dimensions: ['region'] }), { sourceSchema: null, numerator: stored('profit'), denominator: stored('revenue', { version: 7 }) });
      expect(result.definition).toMatchObject({ source: null, measure: null, aggregation: { type: 'ratio', numerator: 'profit', denominator: 'revenue', numeratorVersion: 3, denominatorVersion: 7 } });
    });

    it('names a missing part, a part at another grain, and a part that is itself a ratio', () => {
      const ctx = { sourceSchema: null, numerator: null, denominator: stored('revenue', { grain: 'week' }) };
      expect(checkMetricDefinition(ratio(), ctx).errors).toEqual([
        { field: 'aggregation.numerator', messages: ['aggregation.numerator: no metric with key "profit"'] },
        { field: 'aggregation.denominator', messages: ['aggregation.denominator: "revenue" has grain week; a ratio needs both parts at its own grain (day)'] },
      ]);
      const nested = stored('profit', { aggregation: { type: 'ratio', numerator: 'a', denominator: 'b' } });
      expect(checkMetricDefinition(ratio(), { sourceSchema: null, numerator: nested, denominator: stored('revenue') }).errors[0]!.messages[0]).toContain('is itself a ratio');
    });

    it('allows only dimensions both parts have, and no source, measure or filter of its own', () => {
      const ctx = { sourceSchema: null, numerator: stored('profit', { dimensions: ['region'] }), denominator: stored('revenue') };
      expect(checkMetricDefinition(ratio({ dimensions: ['status'] }), ctx).errors[0]!.messages[0]).toContain('dimensions both parts share are: region');
      const own = ratio({ source: SOURCE, measure: 'amount', filter: [{ field: 'status', op: 'eq', value: 'open' }] });
      expect(checkMetricDefinition(own, ctx).errors.map((e) => e.field)).toEqual(['source', 'measure', 'filter']);
    });
  });
});
