/**
 * Checks of the parts of a metric definition that name source fields: the measure, the filter
 * conditions and the dimensions. Every problem names the definition field it comes from, so a
 * bad reference is refused when the metric is defined instead of failing inside a later query.
 */
import type { FieldSpec, FieldType, SourceSchema } from '../sources/source-schema';
import { MetricFilterOp, MetricFilterValue, MAX_FILTER_VALUES, MAX_METRIC_DIMENSIONS, MetricFilter } from './metric-definition';

export interface MetricFieldError {
  field: string;
  messages: string[];
}

const NUMERIC: readonly FieldType[] = ['number', 'integer'];
const OPS_BY_TYPE: Record<FieldType, readonly MetricFilterOp[]> = {
  number: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'],
  integer: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'],
  timestamp: ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'],
  string: ['eq', 'neq', 'in'],
  boolean: ['eq', 'neq'],
};
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function fieldSpec(schema: SourceSchema, name: string): FieldSpec | undefined {
  return schema.fields.find((f) => f.name === name);
}

export function isNumericField(spec: FieldSpec): boolean {
  return NUMERIC.includes(spec.type);
}

/** Null when `name` is a field of the schema, else why not (listing the fields there are). */
export function unknownFieldProblem(schema: SourceSchema, name: string, label: string): string | null {
  if (fieldSpec(schema, name)) return null;
  return `${label}: unknown field "${name}" in the source schema (fields: ${schema.fields.map((f) => f.name).join(', ') || 'none'})`;
}

/** A numeric field the aggregation can add up, average or rank. */
export function numericFieldProblem(schema: SourceSchema, name: string, label: string): string | null {
  const unknown = unknownFieldProblem(schema, name, label);
  if (unknown) return unknown;
  const spec = fieldSpec(schema, name)!;
  return isNumericField(spec) ? null : `${label}: field "${name}" is a ${spec.type}, not a number`;
}

export function checkFilters(schema: SourceSchema, filters: MetricFilter[]): MetricFieldError[] {
  return filters.flatMap((f, i) => checkFilter(schema, f, `filter.${i}`));
}

function checkFilter(schema: SourceSchema, f: MetricFilter, path: string): MetricFieldError[] {
  const unknown = unknownFieldProblem(schema, f.field, `${path}.field`);
  if (unknown) return [{ field: `${path}.field`, messages: [unknown] }];
  const spec = fieldSpec(schema, f.field)!;
  if (spec.personal) {
    return [{ field: `${path}.field`, messages: [`${path}.field: "${f.field}" is personal data stored as a ${spec.personal}; it cannot be filtered by value`] }];
  }
  if (!OPS_BY_TYPE[spec.type].includes(f.op)) {
    return [{ field: `${path}.op`, messages: [`${path}.op: ${f.op} does not apply to the ${spec.type} field "${f.field}" (use ${OPS_BY_TYPE[spec.type].join(', ')})`] }];
  }
  const problem = f.op === 'in' ? listProblem(spec, f.value) : Array.isArray(f.value) ? 'must be a single value (only "in" takes a list)' : valueProblem(spec, f.value);
  return problem ? [{ field: `${path}.value`, messages: [`${path}.value ${problem}`] }] : [];
}

function listProblem(spec: FieldSpec, value: MetricFilter['value']): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty list for "in"';
  if (value.length > MAX_FILTER_VALUES) return `may hold at most ${MAX_FILTER_VALUES} values`;
  for (const [i, item] of value.entries()) {
    const problem = valueProblem(spec, item);
    if (problem) return `[${i}] ${problem}`;
  }
  return null;
}

function valueProblem(spec: FieldSpec, value: MetricFilterValue): string | null {
  switch (spec.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a finite number for the ${spec.type} field "${spec.name}"`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false for the boolean field "${spec.name}"`;
    case 'timestamp':
      return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? null : `must be an ISO-8601 instant for the timestamp field "${spec.name}"`;
    case 'string':
      if (typeof value !== 'string') return `must be a string for the string field "${spec.name}"`;
      return spec.allowed && !spec.allowed.includes(value) ? `"${value}" is not one of the values "${spec.name}" allows (${spec.allowed.join(', ')})` : null;
  }
}

/** Dimensions must be ones the source copies into each observation's dims. */
export function checkDimensions(allowed: readonly string[], dims: string[], allowedFrom: string): MetricFieldError[] {
  const messages: string[] = [];
  const unknown = dims.filter((d) => !allowed.includes(d));
  if (unknown.length) messages.push(`dimensions: unknown dimension${unknown.length > 1 ? 's' : ''} ${unknown.map((d) => `"${d}"`).join(', ')}; ${allowedFrom}: ${allowed.join(', ') || 'none'}`);
  const repeated = dims.filter((d, i) => dims.indexOf(d) !== i);
  if (repeated.length) messages.push(`dimensions: "${repeated[0]}" is listed twice`);
  if (dims.length > MAX_METRIC_DIMENSIONS) messages.push(`dimensions: at most ${MAX_METRIC_DIMENSIONS} dimensions`);
  return messages.length ? [{ field: 'dimensions', messages }] : [];
}
