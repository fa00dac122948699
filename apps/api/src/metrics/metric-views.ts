/** Response shapes of /api/v1/metrics and the mappers from domain records to them. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ComparedValueRow, GrainBucketRange, METRIC_COMPARISONS, METRIC_GRAINS, MetricAggregation, MetricComparison, MetricDefinition, MetricFilter, MetricGrain,
  MetricThresholds, MetricValuesQuery, MetricVersionSummary,
} from '@opsloop/domain';
import { AggregationDto, FilterDto, ThresholdsDto } from './metrics.dto';

export class MetricVersionView {
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'id of the API key that created the version' }) createdBy!: string;
}

export class MetricDefinitionView extends MetricVersionView {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) source!: string | null;
  @ApiProperty({ type: String, nullable: true }) measure!: string | null;
  @ApiProperty({ type: AggregationDto, description: 'type plus field, p, or the pinned numerator/denominator' }) aggregation!: MetricAggregation;
  @ApiProperty({ type: [FilterDto] }) filter!: MetricFilter[];
  @ApiProperty({ enum: METRIC_GRAINS }) grain!: MetricGrain;
  @ApiProperty({ type: [String] }) dimensions!: string[];
  @ApiProperty({ type: Number, nullable: true }) target!: number | null;
  @ApiProperty({ type: ThresholdsDto, nullable: true }) thresholds!: MetricThresholds | null;
}

export class MetricDetailView extends MetricDefinitionView {
  @ApiProperty({ type: [MetricVersionView], description: 'every version, oldest first' }) versions!: MetricVersionView[];
}

export class MetricComparisonView {
  @ApiProperty({ format: 'date-time', description: 'start of the bucket compared with' }) bucket!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'value − comparison value' }) change!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'change / |comparison value|; null when that is 0' }) changeRatio!: number | null;
}

export class MetricValueView {
  @ApiProperty({ format: 'date-time', description: 'bucket start (UTC)' }) bucket!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the group-by dimensions of the row' }) dims!: Record<string, unknown>;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'zero denominator' }) nullReason!: string | null;
  @ApiPropertyOptional({ type: MetricComparisonView }) comparison?: MetricComparisonView;
}

export class MetricValuesView {
  @ApiProperty() key!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: METRIC_GRAINS }) grain!: MetricGrain;
  @ApiProperty({ format: 'date-time', description: 'first bucket start' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'end of the last bucket (exclusive)' }) to!: string;
  @ApiProperty({ type: [String] }) groupBy!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'the dims[...] filters applied' }) dims!: Record<string, string>;
  @ApiProperty({ type: String, nullable: true }) asOf!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: METRIC_COMPARISONS }) compare!: MetricComparison | null;
  @ApiProperty({ type: [MetricValueView], description: 'buckets with data, oldest first' }) values!: MetricValueView[];
}

export function toDefinitionView(d: MetricDefinition): MetricDefinitionView {
  return {
    key: d.key, version: d.version, name: d.name, description: d.description, owner: d.owner, unit: d.unit, source: d.source, measure: d.measure,
    aggregation: d.aggregation, filter: d.filter, grain: d.grain, dimensions: d.dimensions, target: d.target, thresholds: d.thresholds,
    createdAt: d.createdAt, createdBy: d.createdBy,
  };
}

export function toDetailView(d: MetricDefinition, versions: MetricVersionSummary[]): MetricDetailView {
  return { ...toDefinitionView(d), versions };
}

export function toValuesView(d: MetricDefinition, q: MetricValuesQuery, range: GrainBucketRange, rows: ComparedValueRow[]): MetricValuesView {
  return {
    key: d.key, version: d.version, name: d.name, unit: d.unit, grain: d.grain, from: range.from.toISOString(), to: range.to.toISOString(),
    groupBy: q.groupBy, dims: q.dims, asOf: q.asOf ?? null, compare: q.compare ?? null,
    values: rows.map((r) => ({ bucket: r.bucket, dims: r.dims, value: r.value, nullReason: r.nullReason, ...(r.comparison ? { comparison: r.comparison } : {}) })),
  };
}
