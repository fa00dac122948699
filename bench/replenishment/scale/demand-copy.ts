/**
 * Two years of daily demand straight into `observations` with COPY: pushing 7.3 million rows
 * through the API would take about ten minutes and is not what this bench measures. The rows
 * are made by the ingest pipeline's own code (RowValidator types the row and builds the unique
 * and series keys, CopyLines writes dims and record), so they are byte for byte what an ingested
 * row would be. Each batch is one transaction with its own `source_batches` row and the same
 * source-health update the ingest makes.
 *
 * The physical order of the rows is what the two ways history arrives would leave, in the
 * ingest's own row order (each batch sorted by unique key, i.e. by sku, then day):
 * - `backfill` (default): the history imported at once, in batches of 1,000 items, so each
 *   item's days sit together on disk;
 * - `daily`: one batch per day for two years, as a loop that has been running that long sees
 *   it, so each item's days are spread over the whole table.
 * A plan that reads series by index pays for the second far more than a full scan does.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RowValidator, SourceSchema, TypedValue } from '@opsloop/domain';
import { copyText, CopyLines } from '../../../libs/persistence/src/ingest/copy-lines';
import { HEALTH_AFTER_SUCCESS, INSERT_BATCH } from '../../../libs/persistence/src/ingest/ingest-sql';
import { CatalogItem, LOCATION } from './catalog';

export const LAYOUTS = ['backfill', 'daily'] as const;
export type Layout = (typeof LAYOUTS)[number];

const ITEMS_PER_BACKFILL_BATCH = 1000;
const CHUNK_CHARS = 1 << 20;
const COLUMNS = 'source_id, unique_key, series_key, dims, ts, value, record, batch_id';

/** As the ingest writes JSON into COPY text: only backslashes need doubling. */
const copyJson = (json: string) => (json.includes('\\') ? json.replace(/\\/g, '\\\\') : json);

export interface DemandCopyResult {
  rows: number;
  batches: number;
  ms: number;
}

/** One batch: items [itemFrom, itemTo) × days [dayFrom, dayTo), item-major like a sorted ingest batch. */
interface Batch { itemFrom: number; itemTo: number; dayFrom: number; dayTo: number }

function batchesOf(layout: Layout, items: number, days: number): Batch[] {
  const out: Batch[] = [];
  if (layout === 'daily') {
    for (let t = 0; t < days; t++) out.push({ itemFrom: 0, itemTo: items, dayFrom: t, dayTo: t + 1 });
  } else {
    for (let i = 0; i < items; i += ITEMS_PER_BACKFILL_BATCH) out.push({ itemFrom: i, itemTo: Math.min(items, i + ITEMS_PER_BACKFILL_BATCH), dayFrom: 0, dayTo: days });
  }
  return out;
}

/**
 * Days 0 … days−2 of every item (`demand[i]` is item i's daily demand); the last day goes
 * through the API afterwards, so the source's newest batch is a real one. `dayIso[t]` is the
 * canonical timestamp of day t.
 */
export async function copyDemandHistory(
  db: Client, source: { id: string; schema: SourceSchema }, catalog: readonly CatalogItem[], demand: readonly Int32Array[],
  dayIso: readonly string[], layout: Layout, log: (line: string) => void,
): Promise<DemandCopyResult> {
  const started = performance.now();
  const validator = new RowValidator(source.schema);
  const lines = new CopyLines(validator);
  const typed = new Array<TypedValue>(validator.names.length).fill(null);
  const batches = batchesOf(layout, catalog.length, dayIso.length - 1);
  let rows = 0;
  for (const [n, b] of batches.entries()) {
    const batchId = randomUUID();
    const batchStarted = new Date();
    await db.query('BEGIN');
    const copy = db.query(copyFrom(`COPY observations (${COLUMNS}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    let text = '';
    for (let i = b.itemFrom; i < b.itemTo; i++) {
      const item = catalog[i]!;
      for (let t = b.dayFrom; t < b.dayTo; t++) {
        const problems = validator.typeRow({ sku: item.sku, location: LOCATION, ts: dayIso[t], qty: demand[i]![t] }, rows + 1, typed);
        if (problems) throw new Error(`generated row of ${item.sku} day ${t} fails the schema: ${JSON.stringify(problems)}`);
        text += `${source.id}\t${copyText(validator.uniqueKey(typed))}\t${copyText(validator.seriesKey(typed))}\t${copyJson(lines.dims(typed))}\t`
          + `${typed[validator.timeIndex] as string}\t${validator.value(typed)}\t${copyJson(lines.record(typed))}\t${batchId}\n`;
        if (text.length >= CHUNK_CHARS) {
          if (!copy.write(text)) await new Promise((r) => copy.once('drain', r));
          text = '';
        }
      }
    }
    copy.end(text);
    await done;
    const batchRows = (b.itemTo - b.itemFrom) * (b.dayTo - b.dayFrom);
    await db.query(INSERT_BATCH, [batchId, source.id, 'bench:copy', 'accepted', batchRows, batchRows, 0, 0, null, null, null, batchStarted]);
    await db.query(HEALTH_AFTER_SUCCESS, [source.id, dayIso[b.dayTo - 1], batchRows, 0]);
    await db.query('COMMIT');
    rows += batchRows;
    if ((n + 1) % Math.ceil(batches.length / 10) === 0 || n === batches.length - 1) {
      log(`demand history (${layout}): batch ${n + 1} of ${batches.length}, ${rows.toLocaleString('en-US')} rows, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  return { rows, batches: batches.length, ms: performance.now() - started };
}
