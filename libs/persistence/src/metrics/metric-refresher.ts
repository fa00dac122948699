/**
 * Keeps stored metric values in step with observations. A refresh recomputes only the buckets
 * touched by observations ingested after the version's watermark (all of them the first time)
 * and then moves the watermark.
 *
 * Why the watermark is capped: `ingested_at` is the ingest transaction's start time, and a long
 * ingest can commit after a shorter one that started later. So the watermark never passes the
 * start of a transaction still open before this refresh's snapshot: rows such a transaction
 * commits later are newer than the watermark and get picked up next time. Reprocessing a bucket
 * twice is harmless (it is recomputed, not added to).
 */
import { DataSource, QueryRunner } from 'typeorm';
import { MetricDefinition } from '@opsloop/domain';
import { buildMetricQuery, MetricPlan, SqlParams } from './metric-sql';

export interface RefreshReport {
  key: string;
  version: number;
  /** Everything recomputed (first refresh of a version). */
  full: boolean;
  /** Buckets recomputed. */
  buckets: number;
}

interface Watch {
  source_id: string;
  watermark: string | null;
}

/** Instants stay text with microseconds: a JS Date would round them to milliseconds. */
interface Scan {
  sourceId: string;
  newest: string | null;
  buckets: Date[];
}

const MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const text = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', ${MICROS})`;

export class MetricRefresher {
  constructor(private readonly ds: DataSource) {}

  /** Cheap check: has any watched source ingested something after the watermark? */
  async isBehind(def: MetricDefinition): Promise<boolean> {
    const [row]: { behind: boolean }[] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM metric_refresh r WHERE r.key = $1 AND r.version = $2 AND (r.watermark IS NULL
         OR EXISTS (SELECT 1 FROM observations o WHERE o.source_id = r.source_id AND o.ingested_at > r.watermark))) AS behind`,
      [def.key, def.version],
    );
    return row!.behind;
  }

  /** One refresh at a time per definition version (advisory lock), taken before the snapshot. */
  async refresh(def: MetricDefinition, plan: MetricPlan): Promise<RefreshReport> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    const lock = [`metric:${def.key}`, def.version];
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1), $2)`, lock);
      try {
        return await this.refreshLocked(runner, def, plan);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1), $2)`, lock);
      }
    } finally {
      await runner.release();
    }
  }

  private async refreshLocked(runner: QueryRunner, def: MetricDefinition, plan: MetricPlan): Promise<RefreshReport> {
    const cap = await this.watermarkCap(runner);
    await runner.startTransaction('REPEATABLE READ');
    try {
      const report = await this.refreshInSnapshot(runner, def, plan, cap);
      await runner.commitTransaction();
      return report;
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    }
  }

  /** Read before the snapshot: any row invisible to it was ingested after this instant. */
  private async watermarkCap(runner: QueryRunner): Promise<string> {
    const [row]: { cap: string }[] = await runner.query(
      `SELECT ${text(`least(clock_timestamp(), (SELECT min(xact_start) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL))
         - interval '1 millisecond'`)} AS cap`,
    );
    return row!.cap;
  }

  private async refreshInSnapshot(runner: QueryRunner, def: MetricDefinition, plan: MetricPlan, cap: string): Promise<RefreshReport> {
    const watches: Watch[] = await runner.query(
      `SELECT source_id, ${text('watermark')} AS watermark FROM metric_refresh WHERE key = $1 AND version = $2`,
      [def.key, def.version],
    );
    const full = watches.some((w) => w.watermark === null);
    const scans: Scan[] = [];
    for (const w of watches) scans.push(await this.scan(runner, def, w, full));
    const touched = uniqueDates(scans.flatMap((s) => s.buckets));
    if (full || touched.length > 0) await this.recompute(runner, def, plan, full ? undefined : touched);
    for (const s of scans) {
      // Forward only, and never past the newest row seen nor past the cap.
      await runner.query(
        `UPDATE metric_refresh SET refreshed_at = now(),
           watermark = CASE WHEN $4::timestamptz IS NULL THEN watermark ELSE greatest(watermark, least($4::timestamptz, $5::timestamptz)) END
         WHERE key = $1 AND version = $2 AND source_id = $3`,
        [def.key, def.version, s.sourceId, s.newest, cap],
      );
    }
    return { key: def.key, version: def.version, full, buckets: full ? await this.bucketCount(runner, def) : touched.length };
  }

  /** The buckets holding observations ingested after the watermark, and the newest ingest time. */
  private async scan(runner: QueryRunner, def: MetricDefinition, w: Watch, full: boolean): Promise<Scan> {
    const since = full ? null : w.watermark;
    const [row]: { buckets: Date[] | null; newest: string | null }[] = await runner.query(
      `SELECT array_agg(DISTINCT date_trunc($2::text, ts, 'UTC')) FILTER (WHERE NOT $4::boolean) AS buckets, ${text('max(ingested_at)')} AS newest
       FROM observations WHERE source_id = $1 AND ($3::timestamptz IS NULL OR ingested_at > $3)`,
      [w.source_id, def.grain, since, full],
    );
    return { sourceId: w.source_id, newest: row!.newest, buckets: (row!.buckets ?? []).map((b) => new Date(b)) };
  }

  /** Replaces the stored rows of the given buckets (all buckets when none are given). */
  private async recompute(runner: QueryRunner, def: MetricDefinition, plan: MetricPlan, buckets: Date[] | undefined): Promise<void> {
    const only = buckets?.map((b) => b.toISOString()) ?? null;
    await runner.query(
      `DELETE FROM metric_values WHERE key = $1 AND version = $2 AND ($3::timestamptz[] IS NULL OR bucket = ANY($3::timestamptz[]))`,
      [def.key, def.version, only],
    );
    const params = new SqlParams();
    const key = params.add(def.key, 'text');
    const version = params.add(def.version, 'int');
    const q = buildMetricQuery(plan, { grain: def.grain, dimensions: def.dimensions, grouping: 'all-subsets', buckets }, params);
    await runner.query(
      `INSERT INTO metric_values (key, version, bucket, dim_set, dims, dims_key, value, null_reason, computed_at)
       SELECT ${key}, ${version}, c.bucket, c.dim_set, c.dims, c.dims_key, c.value, c.null_reason, now() FROM (${q.text}) c`,
      q.values,
    );
  }

  private async bucketCount(runner: QueryRunner, def: MetricDefinition): Promise<number> {
    const [row]: { n: number }[] = await runner.query(`SELECT count(DISTINCT bucket)::int AS n FROM metric_values WHERE key = $1 AND version = $2`, [def.key, def.version]);
    return row!.n;
  }
}

function uniqueDates(dates: Date[]): Date[] {
  return [...new Set(dates.map((d) => d.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
}
