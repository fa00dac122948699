/**
 * Port and SQL adapter for the bulk reads a planning loop needs: daily totals of every series of a
 * source (summed in Postgres, so 10,000 series × 2 years cross the wire as 10,000 arrays, not
 * 7 million rows), the newest record of each series, and every record matching some dimensions.
 */
import { DataSource } from 'typeorm';
import { DAY_MS, dayOf, dayStartMs } from '@opsloop/domain';
import { SERIES_KEY_SCAN } from './observation-reader.repository';
import { iso } from './sql-rows';

export interface DailyTotalsQuery {
  /** How many days, ending with `through` (default: the source's newest day). */
  days: number;
  /** Last day included (`YYYY-MM-DD`, UTC); default the newest day holding an observation. */
  through?: string;
  /** Only these series (default all). */
  seriesKeys?: string[];
}

export interface DailySeries {
  seriesKey: string;
  /** First day with an observation inside the window (`YYYY-MM-DD`); values start there. */
  start: string;
  /** One total per day from `start` through the window's last day; days without rows are 0. */
  values: number[];
}

export interface DailyTotals {
  /** The window's last day, or null when the source holds nothing. */
  through: string | null;
  series: DailySeries[];
}

export interface StoredRecord {
  seriesKey: string;
  dims: Record<string, unknown>;
  ts: string;
  value: number | null;
  record: Record<string, unknown>;
}

export abstract class ObservationAggregates {
  abstract dailyTotals(sourceId: string, q: DailyTotalsQuery): Promise<DailyTotals>;
  /** The newest observation of every series (or of the given ones). */
  abstract latestRecords(sourceId: string, seriesKeys?: string[]): Promise<StoredRecord[]>;
  /** Every observation whose dimensions hold these values, oldest first (at most `limit`). */
  abstract matching(sourceId: string, dims: Record<string, string>, limit: number): Promise<StoredRecord[]>;
}

/** Per sort or hash of the daily-totals query (and per parallel worker), for this transaction only. */
const AGGREGATE_WORK_MEM = '64MB';
/** Every series key of the source, by the reader's loose index scan (one probe per key). */
const SERIES_KEYS = `${SERIES_KEY_SCAN} SELECT series_key FROM keys WHERE series_key IS NOT NULL`;
const GIVEN_KEYS = `SELECT DISTINCT unnest($2::text[]) AS series_key`;

interface LatestRow {
  series_key: string;
  dims: Record<string, unknown>;
  ts: Date;
  value: number | null;
  record: Record<string, unknown>;
}

export class TypeOrmObservationAggregates extends ObservationAggregates {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async latestRecords(sourceId: string, seriesKeys?: string[]): Promise<StoredRecord[]> {
    if (seriesKeys && seriesKeys.length === 0) return [];
    const rows: LatestRow[] = await this.ds.query(
      `WITH k AS (${seriesKeys ? GIVEN_KEYS : SERIES_KEYS})
       SELECT k.series_key, p.dims, p.ts, p.value, p.record FROM k CROSS JOIN LATERAL (
         SELECT o.dims, o.ts, o.value, o.record FROM observations o
         WHERE o.source_id = $1 AND o.series_key = k.series_key ORDER BY o.ts DESC LIMIT 1
       ) p ORDER BY k.series_key`,
      seriesKeys ? [sourceId, seriesKeys] : [sourceId],
    );
    return rows.map(toStored);
  }

  async matching(sourceId: string, dims: Record<string, string>, limit: number): Promise<StoredRecord[]> {
    const rows: LatestRow[] = await this.ds.query(
      `SELECT series_key, dims, ts, value, record FROM observations
       WHERE source_id = $1 AND dims @> $2::jsonb ORDER BY ts, unique_key LIMIT $3`,
      [sourceId, JSON.stringify(dims), limit],
    );
    return rows.map(toStored);
  }

  async dailyTotals(sourceId: string, q: DailyTotalsQuery): Promise<DailyTotals> {
    const through = q.through ?? (await this.newestDay(sourceId, q.seriesKeys));
    if (!through) return { through: null, series: [] };
    const endMs = dayStartMs(through) + DAY_MS;
    const startMs = endMs - Math.max(1, Math.trunc(q.days)) * DAY_MS;
    const values: unknown[] = [sourceId, new Date(startMs).toISOString(), new Date(endMs).toISOString()];
    let keyFilter = '';
    if (q.seriesKeys) {
      values.push(q.seriesKeys);
      keyFilter = ` AND series_key = ANY($4::text[])`;
    }
    // One group per series over a (parallel) sequential scan, in no particular order: each row
    // becomes "day:value" and the days are placed and summed below. Walking the (series, ts)
    // index instead visits the heap once per row, and grouping by (series, day) hashes millions of
    // groups; both took three times as long on 10,000 series × 2 years. The hash table of 10,000
    // growing lists needs more than the default work_mem to stay in memory.
    const rows: { series_key: string; pairs: string }[] = await this.ds.transaction(async (m) => {
      await m.query(`SET LOCAL work_mem = '${AGGREGATE_WORK_MEM}'`);
      return m.query(
        `SELECT series_key,
                string_agg((((ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01')::text || ':' || coalesce(value, 0)::text), ',') AS pairs
         FROM observations WHERE source_id = $1 AND ts >= $2::timestamptz AND ts < $3::timestamptz${keyFilter}
         GROUP BY series_key ORDER BY series_key`,
        values,
      );
    });
    const lastDay = Math.round(endMs / DAY_MS) - 1;
    return { through, series: rows.map((r) => dailySeries(r.series_key, r.pairs, lastDay)) };
  }

  /** The newest day holding an observation, per series by index probe rather than a scan. */
  private async newestDay(sourceId: string, seriesKeys?: string[]): Promise<string | null> {
    const [row]: { newest: Date | null }[] = await this.ds.query(
      `WITH k AS (${seriesKeys ? GIVEN_KEYS : SERIES_KEYS})
       SELECT max(p.ts) AS newest FROM k CROSS JOIN LATERAL (
         SELECT o.ts FROM observations o WHERE o.source_id = $1 AND o.series_key = k.series_key ORDER BY o.ts DESC LIMIT 1
       ) p`,
      seriesKeys ? [sourceId, seriesKeys] : [sourceId],
    );
    return row?.newest ? dayOf(iso(row.newest)) : null;
  }
}

/** "day:value" pairs in any order → one total per day from the first day through `lastDay`. */
function dailySeries(seriesKey: string, pairs: string, lastDay: number): DailySeries {
  const days: number[] = [];
  const totals: number[] = [];
  let day0 = Number.POSITIVE_INFINITY;
  for (const pair of pairs.split(',')) {
    const colon = pair.indexOf(':');
    const day = Number(pair.slice(0, colon));
    days.push(day);
    totals.push(Number(pair.slice(colon + 1)));
    if (day < day0) day0 = day;
  }
  const values = new Array<number>(lastDay - day0 + 1).fill(0);
  days.forEach((d, i) => (values[d - day0]! += totals[i]!));
  return { seriesKey, start: dayOf(day0 * DAY_MS), values };
}

function toStored(r: LatestRow): StoredRecord {
  return { seriesKey: r.series_key, dims: r.dims, ts: iso(r.ts), value: r.value === null ? null : Number(r.value), record: r.record };
}
