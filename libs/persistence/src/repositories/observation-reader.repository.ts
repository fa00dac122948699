/**
 * Port and SQL adapter for reading stored observations by series, dimensions and time: what a
 * loop's collect stage reads. Each series is read with its own index range scan on
 * (source_id, series_key, ts) from the newest point down, so "the latest point of these series"
 * stays fast however much history a source holds.
 */
import { DataSource } from 'typeorm';
import { iso } from './sql-rows';

export interface ObservationSeriesQuery {
  /** Only these series; all series of the source when left out (up to MAX_SERIES). */
  seriesKeys?: string[];
  /** Inclusive lower bound of `ts` (ISO-8601). */
  from?: string;
  /** Exclusive upper bound of `ts` (ISO-8601). */
  to?: string;
  /** Only observations whose dimensions hold these values. */
  dims?: Record<string, string>;
  /** The most recent points per series (default 1000, at most 100000); returned oldest first. */
  limit?: number;
}

export interface ObservationSeries {
  seriesKey: string;
  /** The dimensions of the series' newest point in range. */
  dims: Record<string, unknown>;
  points: { ts: string; value: number | null }[];
}

export const DEFAULT_POINTS_PER_SERIES = 1000;
export const MAX_POINTS_PER_SERIES = 100_000;
/** Without a series list, the reader walks the distinct keys of a source up to this many. */
export const MAX_SERIES = 10_000;

export abstract class ObservationReader {
  /** Series in the order asked for (or by key); a requested series with no points in range is left out. */
  abstract series(sourceId: string, q: ObservationSeriesQuery): Promise<ObservationSeries[]>;
}

interface PointRow {
  series_key: string;
  ts: Date;
  value: number | null;
  dims: Record<string, unknown>;
  ord: number;
}

/**
 * Distinct series keys of a source by a loose index scan: one index probe per key instead of a
 * scan of every observation.
 */
export const SERIES_KEY_SCAN = `WITH RECURSIVE keys AS (
    (SELECT series_key FROM observations WHERE source_id = $1 ORDER BY series_key LIMIT 1)
    UNION ALL
    SELECT (SELECT o.series_key FROM observations o WHERE o.source_id = $1 AND o.series_key > keys.series_key ORDER BY o.series_key LIMIT 1)
    FROM keys WHERE keys.series_key IS NOT NULL
  )`;

const ALL_SERIES = `${SERIES_KEY_SCAN}
  SELECT series_key, row_number() OVER (ORDER BY series_key) AS ord FROM keys WHERE series_key IS NOT NULL LIMIT ${MAX_SERIES}`;

const GIVEN_SERIES = `SELECT series_key, ord FROM unnest($2::text[]) WITH ORDINALITY AS k(series_key, ord)`;

export class TypeOrmObservationReader extends ObservationReader {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async series(sourceId: string, q: ObservationSeriesQuery): Promise<ObservationSeries[]> {
    if (q.seriesKeys && q.seriesKeys.length === 0) return [];
    const values: unknown[] = [sourceId];
    if (q.seriesKeys) values.push([...new Set(q.seriesKeys)]);
    const keys = q.seriesKeys ? GIVEN_SERIES : ALL_SERIES;
    const filters: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      values.push(value);
      filters.push(sql(`$${values.length}`));
    };
    if (q.from !== undefined) add((p) => `o.ts >= ${p}::timestamptz`, q.from);
    if (q.to !== undefined) add((p) => `o.ts < ${p}::timestamptz`, q.to);
    if (q.dims && Object.keys(q.dims).length > 0) add((p) => `o.dims @> ${p}::jsonb`, JSON.stringify(q.dims));
    values.push(Math.min(Math.max(1, Math.trunc(q.limit ?? DEFAULT_POINTS_PER_SERIES)), MAX_POINTS_PER_SERIES));
    const rows: PointRow[] = await this.ds.query(
      `WITH k AS (${keys})
       SELECT k.series_key, k.ord, p.ts, p.value, p.dims
       FROM k CROSS JOIN LATERAL (
         SELECT o.ts, o.value, o.dims FROM observations o
         WHERE o.source_id = $1 AND o.series_key = k.series_key${filters.map((f) => ` AND ${f}`).join('')}
         ORDER BY o.ts DESC LIMIT $${values.length}
       ) p
       ORDER BY k.ord, p.ts`,
      values,
    );
    return group(rows);
  }
}

/** Rows arrive ordered by series then time, so one pass builds each series. */
function group(rows: PointRow[]): ObservationSeries[] {
  const out: ObservationSeries[] = [];
  let current: ObservationSeries | undefined;
  for (const r of rows) {
    if (current?.seriesKey !== r.series_key) {
      current = { seriesKey: r.series_key, dims: r.dims, points: [] };
      out.push(current);
    }
    current.points.push({ ts: iso(r.ts), value: r.value === null ? null : Number(r.value) });
    current.dims = r.dims;
  }
  return out;
}
