export * from './metric-definition';
export { checkMetricDefinition } from './metric-definition-check';
export type { MetricCheckContext, MetricCheckResult } from './metric-definition-check';
export type { MetricFieldError } from './metric-filter-check';
export * from './metric-periods';
export * from './metric-values';
