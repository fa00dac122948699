/**
 * Port and adapter for metric values: refresh (after an ingest, or lazily before a read when
 * the watermark is behind, so reads are never stale), range reads with group-by, dimension
 * filters, as-of and period comparison, and the short recent series loop kinds read.
 */
import { DataSource } from 'typeorm';
import {
  addGrainBuckets, comparisonRangeOf, ComparedValueRow, GrainBucketRange, lastGrainBuckets, MAX_READ_BUCKETS, MetricDefinition, MetricValuesQuery,
  UnknownMetricError, withMetricComparison,
} from '@opsloop/domain';
import { MetricDefinitionRepository, TypeOrmMetricDefinitionRepository } from './metric-definition.repository';
import { MetricPlanner } from './metric-plan';
import { computedRows, ReadScope, storedRows } from './metric-reads';
import { MetricRefresher, RefreshReport } from './metric-refresher';

export type { RefreshReport } from './metric-refresher';

export interface MetricSeriesRequest {
  /** How many most recent buckets, oldest first. */
  points: number;
  /** Buckets start before this instant (ISO-8601); defaults to now. */
  until?: string;
  dims?: Record<string, string>;
}

export interface MetricSeriesResult {
  key: string;
  version: number;
  grain: string;
  /** Every bucket of the window; null where there is no data (or a ratio's denominator is 0). */
  points: { bucket: string; value: number | null }[];
}

export abstract class MetricValueStore {
  /** Refreshes when a watched source has observations newer than the watermark; null when already fresh. */
  abstract ensureFresh(def: MetricDefinition): Promise<RefreshReport | null>;
  abstract refresh(def: MetricDefinition): Promise<RefreshReport>;
  /** Refreshes the newest version of every metric that reads the source (called after each ingest). */
  abstract refreshForSource(sourceId: string): Promise<RefreshReport[]>;
  /** Values over a checked query and its bucket range; as-of reads are computed on the fly. */
  abstract values(def: MetricDefinition, q: MetricValuesQuery, range: GrainBucketRange): Promise<ComparedValueRow[]>;
  /** The newest version's last N buckets; UnknownMetricError for an unknown key. */
  abstract series(key: string, q: MetricSeriesRequest): Promise<MetricSeriesResult>;
}

export class TypeOrmMetricValueStore extends MetricValueStore {
  private readonly definitions: MetricDefinitionRepository;
  private readonly planner: MetricPlanner;
  private readonly refresher: MetricRefresher;

  constructor(private readonly ds: DataSource) {
    super();
    this.definitions = new TypeOrmMetricDefinitionRepository(ds);
    this.planner = new MetricPlanner(ds, this.definitions);
    this.refresher = new MetricRefresher(ds);
  }

  async ensureFresh(def: MetricDefinition): Promise<RefreshReport | null> {
    return (await this.refresher.isBehind(def)) ? this.refresh(def) : null;
  }

  async refresh(def: MetricDefinition): Promise<RefreshReport> {
    return this.refresher.refresh(def, await this.planner.plan(def));
  }

  async refreshForSource(sourceId: string): Promise<RefreshReport[]> {
    const rows: { key: string; version: number }[] = await this.ds.query(
      `SELECT r.key, r.version FROM metric_refresh r
       WHERE r.source_id = $1 AND r.version = (SELECT max(d.version) FROM metric_definitions d WHERE d.key = r.key) ORDER BY r.key`,
      [sourceId],
    );
    const reports: RefreshReport[] = [];
    const failures: string[] = [];
    // One metric failing (say, its schema changed under it) must not stop the others.
    for (const { key, version } of rows) {
      try {
        reports.push(await this.refresh((await this.definitions.get(key, version))!));
      } catch (err) {
        failures.push(`${key} v${version}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(`Metric refresh failed for ${failures.join('; ')}`);
    return reports;
  }

  async values(def: MetricDefinition, q: MetricValuesQuery, range: GrainBucketRange): Promise<ComparedValueRow[]> {
    const asOf = q.asOf ? new Date(q.asOf) : null;
    const plan = asOf ? await this.planner.plan(def) : null;
    if (!asOf) await this.ensureFresh(def);
    const read = (r: GrainBucketRange) => {
      const scope: ReadScope = { def, range: r, groupBy: q.groupBy, dims: q.dims };
      return plan && asOf ? computedRows(this.ds, plan, scope, asOf) : storedRows(this.ds, scope);
    };
    const rows = await read(range);
    if (!q.compare) return rows;
    const base = await read(comparisonRangeOf(range, def.grain, q.compare));
    return withMetricComparison(rows, base, def.grain, q.compare, range.buckets);
  }

  async series(key: string, q: MetricSeriesRequest): Promise<MetricSeriesResult> {
    const def = await this.definitions.latest(key);
    if (!def) throw new UnknownMetricError(key);
    const dims = q.dims ?? {};
    checkSeriesRequest(def, q, dims);
    const buckets = lastGrainBuckets(q.until ? new Date(q.until) : new Date(), def.grain, q.points);
    const range = { from: buckets[0]!, to: addGrainBuckets(buckets[buckets.length - 1]!, def.grain, 1), buckets: buckets.length };
    await this.ensureFresh(def);
    const rows = await storedRows(this.ds, { def, range, groupBy: [], dims });
    const byBucket = new Map(rows.map((r) => [r.bucket, r.value]));
    const points = buckets.map((b) => ({ bucket: b.toISOString(), value: byBucket.get(b.toISOString()) ?? null }));
    return { key: def.key, version: def.version, grain: def.grain, points };
  }
}

function checkSeriesRequest(def: MetricDefinition, q: MetricSeriesRequest, dims: Record<string, string>): void {
  if (!Number.isInteger(q.points) || q.points < 1 || q.points > MAX_READ_BUCKETS) {
    throw new Error(`metric ${def.key}: points must be a whole number from 1 to ${MAX_READ_BUCKETS}, got ${q.points}`);
  }
  if (q.until !== undefined && Number.isNaN(Date.parse(q.until))) throw new Error(`metric ${def.key}: until must be an ISO-8601 instant, got "${q.until}"`);
  const unknown = Object.keys(dims).filter((d) => !def.dimensions.includes(d));
  if (unknown.length > 0) {
    throw new Error(`metric ${def.key}: dims.${unknown[0]} is not a dimension of v${def.version} (dimensions: ${def.dimensions.join(', ') || 'none'})`);
  }
}
