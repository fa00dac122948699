/**
 * Port and SQL adapter for metric definitions. Rows are immutable (a trigger refuses updates):
 * an edit inserts version N+1, and each version remembers which sources it reads so refreshes
 * know what to watch.
 */
import { DataSource, EntityManager } from 'typeorm';
import { MetricDefinition, MetricDefinitionBody, MetricVersionSummary, SourceSchema } from '@opsloop/domain';
import { iso } from '../repositories/sql-rows';

export type InsertVersionResult = { ok: true; definition: MetricDefinition } | { ok: false; reason: 'exists' | 'unknown' | 'conflict' };

export abstract class MetricDefinitionRepository {
  /** Version 1 of a new key; `exists` when the key is taken. `tx`: join the caller's transaction. */
  abstract create(body: MetricDefinitionBody, sourceIds: string[], createdBy: string, tx?: EntityManager): Promise<InsertVersionResult>;
  /** The next version of an existing key; `unknown` for a new key, `conflict` if another insert won the race. */
  abstract addVersion(body: MetricDefinitionBody, sourceIds: string[], createdBy: string, tx?: EntityManager): Promise<InsertVersionResult>;
  abstract latest(key: string): Promise<MetricDefinition | null>;
  abstract get(key: string, version: number): Promise<MetricDefinition | null>;
  /** The version whose creation is the latest at or before `at`. */
  abstract inForceAt(key: string, at: Date): Promise<MetricDefinition | null>;
  abstract versions(key: string): Promise<MetricVersionSummary[]>;
  abstract listLatest(): Promise<MetricDefinition[]>;
  /** Schema of a live source; null when there is no such source (or it was deleted). */
  abstract sourceSchema(sourceId: string): Promise<SourceSchema | null>;
}

interface DefinitionRow {
  key: string;
  version: number;
  definition: MetricDefinitionBody;
  created_at: Date;
  created_by: string;
}

function toDomain(r: DefinitionRow): MetricDefinition {
  return { ...r.definition, key: r.key, version: r.version, createdAt: iso(r.created_at), createdBy: r.created_by };
}

export class TypeOrmMetricDefinitionRepository extends MetricDefinitionRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  create(body: MetricDefinitionBody, sourceIds: string[], createdBy: string, outer?: EntityManager): Promise<InsertVersionResult> {
    return this.inTransaction(outer, async (tx) => {
      const rows: DefinitionRow[] = await tx.query(
        `INSERT INTO metric_definitions (key, version, definition, created_by) VALUES ($1, 1, $2, $3)
         ON CONFLICT (key, version) DO NOTHING RETURNING *`,
        [body.key, JSON.stringify(body), createdBy],
      );
      if (!rows[0]) return { ok: false, reason: 'exists' };
      await this.watch(tx, body.key, 1, sourceIds);
      return { ok: true, definition: toDomain(rows[0]) };
    });
  }

  addVersion(body: MetricDefinitionBody, sourceIds: string[], createdBy: string, outer?: EntityManager): Promise<InsertVersionResult> {
    return this.inTransaction(outer, async (tx) => {
      const [{ latest }]: { latest: number | null }[] = await tx.query(`SELECT max(version) AS latest FROM metric_definitions WHERE key = $1`, [body.key]);
      if (latest === null) return { ok: false, reason: 'unknown' };
      const rows: DefinitionRow[] = await tx.query(
        `INSERT INTO metric_definitions (key, version, definition, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key, version) DO NOTHING RETURNING *`,
        [body.key, latest + 1, JSON.stringify(body), createdBy],
      );
      if (!rows[0]) return { ok: false, reason: 'conflict' };
      await this.watch(tx, body.key, latest + 1, sourceIds);
      return { ok: true, definition: toDomain(rows[0]) };
    });
  }

  private inTransaction<T>(outer: EntityManager | undefined, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return outer ? fn(outer) : this.ds.transaction(fn);
  }

  /** A NULL watermark makes the first refresh a full compute. */
  private async watch(tx: EntityManager, key: string, version: number, sourceIds: string[]): Promise<void> {
    await tx.query(
      `INSERT INTO metric_refresh (key, version, source_id) SELECT $1, $2, s FROM unnest($3::uuid[]) s ON CONFLICT DO NOTHING`,
      [key, version, [...new Set(sourceIds)]],
    );
  }

  async latest(key: string): Promise<MetricDefinition | null> {
    const rows: DefinitionRow[] = await this.ds.query(`SELECT * FROM metric_definitions WHERE key = $1 ORDER BY version DESC LIMIT 1`, [key]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async get(key: string, version: number): Promise<MetricDefinition | null> {
    const rows: DefinitionRow[] = await this.ds.query(`SELECT * FROM metric_definitions WHERE key = $1 AND version = $2`, [key, version]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async inForceAt(key: string, at: Date): Promise<MetricDefinition | null> {
    const rows: DefinitionRow[] = await this.ds.query(
      `SELECT * FROM metric_definitions WHERE key = $1 AND created_at <= $2 ORDER BY version DESC LIMIT 1`,
      [key, at.toISOString()],
    );
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async versions(key: string): Promise<MetricVersionSummary[]> {
    const rows: DefinitionRow[] = await this.ds.query(`SELECT version, created_at, created_by FROM metric_definitions WHERE key = $1 ORDER BY version`, [key]);
    return rows.map((r) => ({ version: r.version, createdAt: iso(r.created_at), createdBy: r.created_by }));
  }

  async listLatest(): Promise<MetricDefinition[]> {
    const rows: DefinitionRow[] = await this.ds.query(`SELECT DISTINCT ON (key) * FROM metric_definitions ORDER BY key, version DESC`);
    return rows.map(toDomain);
  }

  async sourceSchema(sourceId: string): Promise<SourceSchema | null> {
    const rows: { schema: SourceSchema }[] = await this.ds.query(`SELECT schema FROM sources WHERE id = $1 AND deleted_at IS NULL`, [sourceId]);
    return rows[0]?.schema ?? null;
  }
}
