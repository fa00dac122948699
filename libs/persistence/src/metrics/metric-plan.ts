/**
 * Resolves a stored definition into what the SQL builder needs: the source schemas and, for a
 * ratio, the pinned versions of its numerator and denominator.
 */
import { DataSource } from 'typeorm';
import { isRatioMetric, MetricDefinition, SourceSchema } from '@opsloop/domain';
import { MetricDefinitionRepository } from './metric-definition.repository';
import { MetricPlan, SourcedMetric } from './metric-sql';

export class MetricPlanner {
  constructor(
    private readonly ds: DataSource,
    private readonly definitions: MetricDefinitionRepository,
  ) {}

  async plan(def: MetricDefinition): Promise<MetricPlan> {
    const a = def.aggregation;
    if (!isRatioMetric(a)) return { kind: 'sourced', metric: await this.sourced(def) };
    const [num, den] = await Promise.all([this.part(a.numerator, a.numeratorVersion), this.part(a.denominator, a.denominatorVersion)]);
    return { kind: 'ratio', numerator: await this.sourced(num), denominator: await this.sourced(den) };
  }

  private async part(key: string, version: number | undefined): Promise<MetricDefinition> {
    const def = version === undefined ? await this.definitions.latest(key) : await this.definitions.get(key, version);
    if (!def) throw new Error(`Ratio part ${key} v${version ?? 'latest'} is missing`);
    return def;
  }

  private async sourced(def: MetricDefinition): Promise<SourcedMetric> {
    if (isRatioMetric(def.aggregation) || !def.source) throw new Error(`Metric ${def.key} v${def.version} has no source of its own`);
    return { sourceId: def.source, schema: await this.schema(def.source), aggregation: def.aggregation, measure: def.measure, filter: def.filter };
  }

  /** Deleted sources included: their metrics stay readable over the data already collected. */
  private async schema(sourceId: string): Promise<SourceSchema> {
    const rows: { schema: SourceSchema }[] = await this.ds.query(`SELECT schema FROM sources WHERE id = $1`, [sourceId]);
    if (!rows[0]) throw new Error(`Source ${sourceId} does not exist`);
    return rows[0].schema;
  }
}
