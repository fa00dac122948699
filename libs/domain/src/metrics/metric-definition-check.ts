/**
 * Checks one submitted metric definition against what it refers to (the source schema, or the
 * numerator and denominator metrics of a ratio) and, when it passes, gives the body to store:
 * defaults filled in, dimensions sorted, ratio parts pinned to a version.
 */
import type { SourceSchema } from '../sources/source-schema';
import {
  isRatioMetric, MetricAggregation, MetricDefinition, MetricDefinitionBody, MetricDefinitionInput, METRIC_KEY_MAX, METRIC_KEY_PATTERN, MetricThresholds,
} from './metric-definition';
import { checkDimensions, checkFilters, MetricFieldError, numericFieldProblem, unknownFieldProblem } from './metric-filter-check';

export interface MetricCheckContext {
  /** Schema of `input.source`; null when the source does not exist (or none was given). */
  sourceSchema: SourceSchema | null;
  /** The metrics a ratio divides, at the pinned (or newest) version; null when missing. */
  numerator?: MetricDefinition | null;
  denominator?: MetricDefinition | null;
}

export interface MetricCheckResult {
  errors: MetricFieldError[];
  /** Set when there are no errors. */
  definition: MetricDefinitionBody | null;
}

const error = (field: string, message: string): MetricFieldError => ({ field, messages: [message] });

export function checkMetricDefinition(input: MetricDefinitionInput, ctx: MetricCheckContext): MetricCheckResult {
  const errors = [...checkCommon(input), ...(isRatioMetric(input.aggregation) ? checkRatio(input, ctx) : checkSourced(input, ctx.sourceSchema))];
  if (errors.length > 0) return { errors, definition: null };
  return { errors, definition: normalise(input, ctx) };
}

function checkCommon(input: MetricDefinitionInput): MetricFieldError[] {
  const errors: MetricFieldError[] = [];
  if (!METRIC_KEY_PATTERN.test(input.key) || input.key.length > METRIC_KEY_MAX) {
    errors.push(error('key', `key must be a slug of lowercase letters and digits joined by - _ or . (at most ${METRIC_KEY_MAX} characters)`));
  }
  if (input.target !== undefined && !Number.isFinite(input.target)) errors.push(error('target', 'target must be a finite number'));
  if (input.thresholds) errors.push(...checkThresholds(input.thresholds));
  return errors;
}

function checkThresholds(t: MetricThresholds): MetricFieldError[] {
  for (const name of ['warn', 'critical'] as const) {
    if (t[name] !== undefined && !Number.isFinite(t[name])) return [error(`thresholds.${name}`, `thresholds.${name} must be a finite number`)];
  }
  if (t.warn === undefined && t.critical === undefined) return [error('thresholds', 'thresholds need warn, critical or both')];
  if (t.warn === undefined || t.critical === undefined) return [];
  const ordered = t.direction === 'above' ? t.warn <= t.critical : t.warn >= t.critical;
  const relation = t.direction === 'above' ? 'at or below' : 'at or above';
  return ordered ? [] : [error('thresholds.critical', `thresholds.warn must be ${relation} thresholds.critical when direction is ${t.direction}`)];
}

function checkSourced(input: MetricDefinitionInput, schema: SourceSchema | null): MetricFieldError[] {
  if (!input.source) return [error('source', `source is required for a ${input.aggregation.type} metric`)];
  if (!schema) return [error('source', `source: no source with id ${input.source}`)];
  const errors = [...checkMeasure(input, schema), ...checkAggregationField(input.aggregation, schema)];
  errors.push(...checkFilters(schema, input.filter ?? []));
  errors.push(...checkDimensions(schema.dimensions, input.dimensions ?? [], "the source's dimensions are"));
  return errors;
}

/** The numeric field summed, averaged or ranked; count and distinct-count take none. */
function checkMeasure(input: MetricDefinitionInput, schema: SourceSchema): MetricFieldError[] {
  const type = input.aggregation.type;
  if (type === 'count' || type === 'distinct-count') {
    return input.measure === undefined ? [] : [error('measure', `measure is not used by ${type}; leave it out`)];
  }
  if (type === 'percentile' && input.aggregation.field !== undefined && input.measure === undefined) return [];
  const measure = input.measure ?? schema.valueField;
  if (measure === undefined) return [error('measure', 'measure is required: the source declares no valueField')];
  const problem = numericFieldProblem(schema, measure, 'measure');
  return problem ? [error('measure', problem)] : [];
}

function checkAggregationField(a: MetricAggregation, schema: SourceSchema): MetricFieldError[] {
  if (a.type === 'distinct-count') {
    const problem = unknownFieldProblem(schema, a.field, 'aggregation.field');
    return problem ? [error('aggregation.field', problem)] : [];
  }
  if (a.type !== 'percentile') return [];
  const errors: MetricFieldError[] = [];
  if (!(Number.isFinite(a.p) && a.p > 0 && a.p < 1)) errors.push(error('aggregation.p', 'aggregation.p must be between 0 and 1 (exclusive), e.g. 0.9'));
  const problem = a.field === undefined ? null : numericFieldProblem(schema, a.field, 'aggregation.field');
  if (problem) errors.push(error('aggregation.field', problem));
  return errors;
}

function checkRatio(input: MetricDefinitionInput, ctx: MetricCheckContext): MetricFieldError[] {
  const a = input.aggregation as Extract<MetricAggregation, { type: 'ratio' }>;
  const errors: MetricFieldError[] = [];
  if (input.source !== undefined) errors.push(error('source', 'source: a ratio takes its sources from its numerator and denominator; leave it out'));
  if (input.measure !== undefined) errors.push(error('measure', 'measure: a ratio divides two metrics; leave it out'));
  if ((input.filter ?? []).length > 0) errors.push(error('filter', 'filter: a ratio takes its filters from its numerator and denominator'));
  const parts = [['numerator', a.numerator, a.numeratorVersion, ctx.numerator], ['denominator', a.denominator, a.denominatorVersion, ctx.denominator]] as const;
  for (const [role, key, version, part] of parts) {
    const problem = ratioPartProblem(input, key, version, part ?? null);
    if (problem) errors.push(error(`aggregation.${role}`, `aggregation.${role}: ${problem}`));
  }
  if (errors.length > 0) return errors;
  const [num, den] = [ctx.numerator!, ctx.denominator!];
  const common = num.dimensions.filter((d) => den.dimensions.includes(d));
  return checkDimensions(common, input.dimensions ?? [], 'dimensions both parts share are');
}

function ratioPartProblem(input: MetricDefinitionInput, key: string, version: number | undefined, part: MetricDefinition | null): string | null {
  if (key === input.key) return 'a ratio cannot divide itself';
  if (!part) return version === undefined ? `no metric with key "${key}"` : `metric "${key}" has no version ${version}`;
  if (isRatioMetric(part.aggregation)) return `"${key}" is itself a ratio; divide its parts instead`;
  if (part.grain !== input.grain) return `"${key}" has grain ${part.grain}; a ratio needs both parts at its own grain (${input.grain})`;
  return null;
}

function normalise(input: MetricDefinitionInput, ctx: MetricCheckContext): MetricDefinitionBody {
  const a = input.aggregation;
  const ratio = isRatioMetric(a);
  const usesMeasure = !ratio && a.type !== 'count' && a.type !== 'distinct-count' && !(a.type === 'percentile' && a.field !== undefined && input.measure === undefined);
  return {
    key: input.key,
    name: input.name,
    description: input.description ?? '',
    owner: input.owner,
    unit: input.unit,
    source: ratio ? null : input.source!,
    measure: usesMeasure ? (input.measure ?? ctx.sourceSchema!.valueField!) : null,
    aggregation: ratio
      ? { type: 'ratio', numerator: a.numerator, denominator: a.denominator, numeratorVersion: ctx.numerator!.version, denominatorVersion: ctx.denominator!.version }
      : a,
    filter: input.filter ?? [],
    grain: input.grain,
    dimensions: [...(input.dimensions ?? [])].sort(),
    target: input.target ?? null,
    thresholds: input.thresholds ?? null,
  };
}
