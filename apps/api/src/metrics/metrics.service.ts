/**
 * Metric center use cases: define a metric (version 1) or a new version, checked against its
 * source schema or ratio parts; read definitions; read values (range, group-by, dimension
 * filters, as-of, period comparison).
 */
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  ApiKey, checkMetricDefinition, ConfigChangeFacts, MetricSnapshot, metricSnapshot, checkMetricValuesQuery, isMetricFieldError, isRatioMetric, MetricCheckContext, MetricDefinition, MetricDefinitionBody,
  MetricDefinitionInput, metricReadRange, MetricValuesQuery,
} from '@opsloop/domain';
import { InsertVersionResult, MetricDefinitionRepository, MetricValueStore } from '@opsloop/persistence';
import { ConfigAudit } from '../audit/config-audit';
import { fieldErrorsException } from '../common/validation';
import { CreateMetricDto, NewMetricVersionDto, toMetricInput } from './metrics.dto';
import { MetricDefinitionView, MetricDetailView, MetricValuesView, toDefinitionView, toDetailView, toValuesView } from './metric-views';

@Injectable()
export class MetricsService {
  private readonly log = new Logger(MetricsService.name);

  constructor(
    private readonly definitions: MetricDefinitionRepository,
    private readonly values: MetricValueStore,
    private readonly audit: ConfigAudit,
  ) {}

  async create(dto: CreateMetricDto, by: ApiKey): Promise<MetricDefinitionView> {
    const { body, sourceIds } = await this.checked(dto.key, dto);
    const result = await this.audit.change<InsertVersionResult, MetricSnapshot>(by, async (tx) => {
      const inserted = await this.definitions.create(body, sourceIds, by.name, tx);
      return { result: inserted, facts: inserted.ok ? metricFacts(undefined, inserted.definition) : null };
    });
    return this.stored(result, dto.key);
  }

  async addVersion(key: string, dto: NewMetricVersionDto, by: ApiKey): Promise<MetricDefinitionView> {
    await this.latest(key);
    if (dto.key !== undefined && dto.key !== key) throw fieldErrorsException([{ field: 'key', messages: [`key must be "${key}", the key in the path, or left out`] }]);
    const { body, sourceIds } = await this.checked(key, dto);
    const result = await this.audit.change<InsertVersionResult, MetricSnapshot>(by, async (tx) => {
      const inserted = await this.definitions.addVersion(body, sourceIds, by.name, tx);
      if (!inserted.ok) return { result: inserted, facts: null };
      // Versions are immutable, so the one before is what this version changes.
      const previous = await this.definitions.get(key, inserted.definition.version - 1);
      return { result: inserted, facts: metricFacts(previous ?? undefined, inserted.definition) };
    });
    return this.stored(result, key);
  }

  async list(): Promise<MetricDefinitionView[]> {
    return (await this.definitions.listLatest()).map(toDefinitionView);
  }

  async get(key: string): Promise<MetricDetailView> {
    const latest = await this.latest(key);
    return toDetailView(latest, await this.definitions.versions(key));
  }

  async getVersion(key: string, version: number): Promise<MetricDefinitionView> {
    return toDefinitionView(await this.version(key, version));
  }

  async readValues(key: string, q: MetricValuesQuery): Promise<MetricValuesView> {
    const def = await this.definitionFor(key, q);
    const errors = checkMetricValuesQuery(def, q);
    const range = metricReadRange(def, q, new Date());
    if (isMetricFieldError(range)) errors.push(range);
    if (errors.length > 0 || isMetricFieldError(range)) throw fieldErrorsException(errors);
    return toValuesView(def, q, range, await this.values.values(def, q, range));
  }

  /** An explicit version wins; otherwise the version in force at asOf, otherwise the newest. */
  private async definitionFor(key: string, q: MetricValuesQuery): Promise<MetricDefinition> {
    if (q.version !== undefined) return this.version(key, q.version);
    if (q.asOf === undefined) return this.latest(key);
    const inForce = await this.definitions.inForceAt(key, new Date(q.asOf));
    if (inForce) return inForce;
    await this.latest(key);
    throw new NotFoundException(`Metric "${key}" had no version yet at ${q.asOf}`);
  }

  private async latest(key: string): Promise<MetricDefinition> {
    const def = await this.definitions.latest(key);
    if (!def) throw new NotFoundException(`No metric with key "${key}"`);
    return def;
  }

  private async version(key: string, version: number): Promise<MetricDefinition> {
    const def = await this.definitions.get(key, version);
    if (def) return def;
    await this.latest(key);
    throw new NotFoundException(`Metric "${key}" has no version ${version}`);
  }

  private async checked(key: string, dto: CreateMetricDto | NewMetricVersionDto): Promise<{ body: MetricDefinitionBody; sourceIds: string[] }> {
    const { input, errors } = toMetricInput(key, dto);
    if (errors.length > 0) throw fieldErrorsException(errors);
    const ctx = await this.context(input);
    const checked = checkMetricDefinition(input, ctx);
    if (!checked.definition) throw fieldErrorsException(checked.errors);
    const sourceIds = ctx.numerator && ctx.denominator ? [ctx.numerator.source!, ctx.denominator.source!] : [input.source!];
    return { body: checked.definition, sourceIds };
  }

  private async context(input: MetricDefinitionInput): Promise<MetricCheckContext> {
    const a = input.aggregation;
    if (!isRatioMetric(a)) return { sourceSchema: input.source ? await this.definitions.sourceSchema(input.source) : null };
    const part = (k: string, v?: number) => (v === undefined ? this.definitions.latest(k) : this.definitions.get(k, v));
    return { sourceSchema: null, numerator: await part(a.numerator, a.numeratorVersion), denominator: await part(a.denominator, a.denominatorVersion) };
  }

  /** Stored: compute its values now, so the first read is quick; a read retries if this fails. */
  private async stored(result: InsertVersionResult, key: string): Promise<MetricDefinitionView> {
    if (!result.ok) {
      if (result.reason === 'unknown') throw new NotFoundException(`No metric with key "${key}"`);
      throw new ConflictException(result.reason === 'exists'
        ? `A metric with key "${key}" exists; add a version with POST /api/v1/metrics/${key}/versions`
        : `Another version of "${key}" was created at the same moment; send the request again`);
    }
    try {
      await this.values.refresh(result.definition);
    } catch (err) {
      this.log.warn(`First compute of metric ${key} v${result.definition.version} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return toDefinitionView(result.definition);
  }
}

/** A new version is a create in the ledger, its changes measured against the version before it. */
function metricFacts(previous: MetricDefinition | undefined, made: MetricDefinition): ConfigChangeFacts<MetricSnapshot> {
  return {
    subject: 'metric', subjectId: made.key, subjectName: made.name, action: 'create',
    before: previous && metricSnapshot(previous), after: metricSnapshot(made),
  };
}
