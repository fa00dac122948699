/**
 * The loaded datasets, built once and kept as template databases: one database per measured size
 * (1,000, 3,000 and 10,000 items), holding only that many items, so a run over N items is what a
 * deployment with N items does, catalogue-wide reads and table scans included (a scope over a
 * bigger catalogue would still read every item's stock and master row, and another size's rows
 * would lengthen every scan). The sizes share the generator: the 1,000 items are the first 1,000
 * of the 10,000. Per database: the four sources created through the API; item master, on-hand
 * and purchase orders pushed through the API; the demand history copied in (demand-copy.ts, in
 * the chosen layout) and its last day pushed through the API. A database whose comment holds the
 * dataset description is complete; anything else under the name is an interrupted load and is
 * rebuilt. Each bench
 * invocation runs on fresh copies.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { SourceSchema } from '@opsloop/domain';
import { freePort } from '@opsloop/devstack';
import { ApiClient } from './api-client';
import { startApi } from '../../support/app-processes';
import { catalogItem, CatalogItem, dailyDemand, LOCATION, stockPosition } from './catalog';
import { copyDemandHistory, Layout } from './demand-copy';
import { SOURCE_DEFINITIONS, SOURCE_ROLES, SourceRole } from './source-definitions';
import type { Stack } from './stack';

/** Bump when the generator or the source definitions change: the templates are then rebuilt. */
const DATASET_VERSION = 2;
const TEMPLATE_PREFIX = 'scale_v';
const DAY_MS = 86_400_000;

export interface Dataset {
  template: string;
  layout: Layout;
  items: number;
  days: number;
  sources: Record<SourceRole, string>;
  rows: Record<SourceRole, number>;
  firstDay: string;
  /** The newest demand day; the kind's data date is the day after. */
  lastDay: string;
  loadedAt: string;
  loadSeconds: { total: number; demandCopy: number; vacuumAnalyze: number };
  /** Size of the template database after the load. */
  databaseBytes: number;
}

export const templateName = (items: number, days: number, layout: Layout) =>
  `${TEMPLATE_PREFIX}${DATASET_VERSION}_${layout === 'backfill' ? '' : `${layout}_`}${items}x${days}`;

/** Templates of an older dataset version are never used again: drop them (several GB each). */
export async function dropStaleTemplates(stack: Stack, log: (line: string) => void): Promise<void> {
  const admin = await stack.admin();
  try {
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${TEMPLATE_PREFIX}%' AND datname NOT LIKE '${TEMPLATE_PREFIX}${DATASET_VERSION}\\_%'`);
    for (const { datname } of stale.rows) {
      log(`dropping ${datname}, a dataset of an older version`);
      await admin.query(`DROP DATABASE ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

export async function ensureDataset(stack: Stack, items: number, days: number, layout: Layout, log: (line: string) => void): Promise<Dataset> {
  const template = templateName(items, days, layout);
  const admin = await stack.admin();
  try {
    const found = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [template]);
    if (found.rows[0]?.comment) {
      const dataset = JSON.parse(found.rows[0].comment) as Dataset;
      log(`dataset ${template} already loaded on ${dataset.loadedAt}; reusing it`);
      return { ...dataset, layout: dataset.layout ?? layout };
    }
    if (found.rowCount) log(`dataset ${template} is incomplete (an interrupted load): rebuilding it`);
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
    const dataset = await load(stack, template, items, days, layout, log);
    await admin.query(`COMMENT ON DATABASE ${template} IS '${JSON.stringify(dataset).replace(/'/g, "''")}'`);
    return dataset;
  } finally {
    await admin.end();
  }
}

async function load(stack: Stack, template: string, items: number, days: number, layout: Layout, log: (line: string) => void): Promise<Dataset> {
  const started = performance.now();
  const lastDayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS; // yesterday, UTC
  const dayIso = Array.from({ length: days }, (_, t) => new Date(lastDayMs - (days - 1 - t) * DAY_MS).toISOString());
  const key = `olk_bench-${randomBytes(16).toString('hex')}`;
  const databaseUrl = stack.databaseUrl(template);
  log(`loading ${items.toLocaleString('en-US')} items × ${days} days into ${template}; the API migrates the new database`);
  const api = await startApi({
    DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: stack.temporal.address, TEMPORAL_NAMESPACE: stack.temporal.namespace,
    OPSLOOP_ADMIN_KEY: key, OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'),
  }, await freePort(), log);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const client = new ApiClient(api.baseUrl, key);
    const catalog = Array.from({ length: items }, (_, i) => catalogItem(i));
    const demand = catalog.map((item) => dailyDemand(item, days));
    const sources = await createSources(client);
    const rows = await pushItemData(client, sources, catalog, demand, dayIso);
    const copied = await copyDemandHistory(db, sources.demand, catalog, demand, dayIso, layout, log);
    rows.demand = copied.rows + (await pushLastDemandDay(client, sources.demand.id, catalog, demand, dayIso));
    log(`${template}: ${JSON.stringify(rows)} rows (demand COPY ${(copied.ms / 1000).toFixed(0)} s); VACUUM ANALYZE, as autovacuum would after a load`);
    const vacuumStarted = performance.now();
    await db.query('VACUUM (ANALYZE)');
    const vacuumMs = performance.now() - vacuumStarted;
    const [{ bytes }] = (await db.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')).rows as [{ bytes: string }];
    return {
      template, layout, items, days, sources: Object.fromEntries(SOURCE_ROLES.map((r) => [r, sources[r].id])) as Record<SourceRole, string>, rows,
      firstDay: dayIso[0]!, lastDay: dayIso[days - 1]!, loadedAt: new Date().toISOString(),
      loadSeconds: { total: secondsSince(started), demandCopy: copied.ms / 1000, vacuumAnalyze: vacuumMs / 1000 },
      databaseBytes: Number(bytes),
    };
  } finally {
    await db.end();
    await api.stop();
  }
}

const secondsSince = (t: number) => Math.round(performance.now() - t) / 1000;

type CreatedSources = Record<SourceRole, { id: string; schema: SourceSchema }>;

async function createSources(client: ApiClient): Promise<CreatedSources> {
  const out: Partial<CreatedSources> = {};
  for (const role of SOURCE_ROLES) {
    const def = SOURCE_DEFINITIONS[role];
    out[role] = await client.call<{ id: string; schema: SourceSchema }>('POST', '/api/v1/sources', {
      name: `scale ${role}`, kind: 'push', schema: def.schema, ...(def.onDuplicate ? { onDuplicate: def.onDuplicate } : {}),
    });
  }
  return out as CreatedSources;
}

/** Item master, on-hand and purchase order lines: small, so they go through the API like any push. */
async function pushItemData(
  client: ApiClient, sources: CreatedSources, catalog: CatalogItem[], demand: Int32Array[], dayIso: readonly string[],
): Promise<Record<SourceRole, number>> {
  const last = dayIso.length - 1;
  const master = catalog.map((item) => withoutNulls({
    sku: item.sku, location: item.masterLocation, ts: dayIso[0], leadTimeDays: item.leadTimeDays, leadTimeSdDays: item.leadTimeSdDays,
    unitCost: item.unitCost, moq: item.moq, packSize: item.packSize, supplier: item.supplier,
  }));
  const onHand: object[] = [];
  const orders: object[] = [];
  for (const item of catalog) {
    const stock = stockPosition(item, demand[item.index]!);
    onHand.push({ sku: item.sku, location: LOCATION, ts: dayIso[last], onHand: stock.onHand });
    for (const [line, status] of [[stock.openOrder, 'open'], [stock.receivedOrder, 'received']] as const) {
      if (line) orders.push({ poNumber: line.poNumber, sku: item.sku, location: LOCATION, ts: dayIso[last - line.daysAgo], quantity: line.quantity, status });
    }
  }
  const written = async (role: SourceRole, rows: object[]) => {
    const report = await client.push(sources[role].id, rows);
    if (report.status !== 'accepted' || report.rowsWritten !== rows.length) throw new Error(`${role} push: ${JSON.stringify(report).slice(0, 1000)}`);
    return report.rowsWritten;
  };
  return {
    itemMaster: await written('itemMaster', master), onHand: await written('onHand', onHand),
    openOrders: await written('openOrders', orders), demand: 0,
  };
}

async function pushLastDemandDay(client: ApiClient, sourceId: string, catalog: CatalogItem[], demand: Int32Array[], dayIso: readonly string[]): Promise<number> {
  const last = dayIso.length - 1;
  const rows = catalog.map((item) => ({ sku: item.sku, location: LOCATION, ts: dayIso[last], qty: demand[item.index]![last] }));
  const report = await client.push(sourceId, rows);
  if (report.status !== 'accepted' || report.rowsWritten !== rows.length) throw new Error(`demand push: ${JSON.stringify(report).slice(0, 1000)}`);
  return report.rowsWritten;
}

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
}
