/**
 * Sets up the demo shop through the running API: the four sources, two years of history pushed
 * as a user would push it, and the nightly replenishment loop.
 *
 * Safe to run at every start: sources and loop are found by name, and only the days after the
 * newest day stored in both demand and on-hand are pushed (none when the history already reaches
 * yesterday). Each batch is one transaction holding whole days, so after an interrupted push the
 * next start carries on after the last day both sources hold.
 */
import { DemoApi } from './demo-api';
import {
  DEFAULT_DEMO_PREFIX, DEMO_SOURCE_ROLES, demoLoopBody, demoLoopName, DemoSourceBody, demoSourceBodies, demoSourceRefs, DemoSourceRole,
} from './demo-definitions';
import {
  dayOf, demandRows, firstHistoryDay, isoDay, itemMasterRows, onHandRows, purchaseOrderRows, simulateDemo,
} from './demo-data';

/**
 * Days per batch: 100 series × 120 days = 12,000 rows, about 1 MB of NDJSON. The on-hand and
 * demand batches of the same days go in parallel: the API streams one while Postgres writes the
 * other (about 5 s for the two years instead of 7.5 s one after the other, 2 shared cores).
 */
const DAYS_PER_BATCH = 120;
/**
 * Purchase-order lines ordered this long before the first new day are sent again, so a line that
 * was open at the last push arrives as received (lead times stay well under it).
 */
const PO_RESEND_DAYS = 35;

export interface DemoSetupOptions {
  baseUrl: string;
  adminKey: string;
  /** The demo's newest day is the UTC day before this (default: now). */
  now?: Date;
  /** Names start with it (default "demo shop"); tests use their own. */
  namePrefix?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export type DemoRowCounts = Record<DemoSourceRole, number>;

export interface DemoSetupResult {
  loopId: string;
  sourceIds: Record<DemoSourceRole, string>;
  /** Names of the sources and loop this call created (empty when all existed). */
  created: string[];
  /** Rows sent per source this call (duplicates of stored rows included). */
  sent: DemoRowCounts;
  /** Rows the API stored as new or changed this call. */
  written: DemoRowCounts;
  /** The days pushed, or null when the history already reached the newest day. */
  days: { from: string; to: string } | null;
  ms: number;
}

interface SourceView { id: string; name: string; kind: string; schema: { uniqueKey: string[]; fields: { name: string }[] } }
interface LoopView { id: string; name: string; kind: string; params: Record<string, unknown> }

export async function setUpDemo(opts: DemoSetupOptions): Promise<DemoSetupResult> {
  const started = Date.now();
  const api = new DemoApi(opts.baseUrl, opts.adminKey, opts.signal);
  const prefix = opts.namePrefix ?? DEFAULT_DEMO_PREFIX;
  const log = opts.log ?? (() => undefined);
  const lastDay = dayOf(opts.now ?? new Date()) - 1;
  const created: string[] = [];

  const sourceIds = await ensureSources(api, demoSourceBodies(prefix), created);
  const fromDay = await firstMissingDay(api, [sourceIds.demand, sourceIds.onHand], lastDay);
  const sent = zeroCounts();
  const written = zeroCounts();
  if (fromDay <= lastDay) {
    const ds = simulateDemo(lastDay);
    log(`demo: pushing ${isoDay(fromDay).slice(0, 10)} to ${isoDay(lastDay).slice(0, 10)} for ${ds.items.length} items in ${ds.series.length / ds.items.length} stores`);
    const push = async (role: DemoSourceRole, rows: readonly object[]) => {
      if (rows.length === 0) return;
      const report = await api.pushRows(sourceIds[role], rows);
      sent[role] += rows.length;
      written[role] += report.rowsWritten;
    };
    await push('itemMaster', itemMasterRows(ds));
    await push('openOrders', purchaseOrderRows(ds, Math.max(firstHistoryDay(lastDay), fromDay - PO_RESEND_DAYS)));
    for (let from = fromDay; from <= lastDay; from += DAYS_PER_BATCH) {
      const to = Math.min(lastDay, from + DAYS_PER_BATCH - 1);
      await Promise.all([push('onHand', onHandRows(ds, from, to)), push('demand', demandRows(ds, from, to))]);
    }
  }
  const loopId = await ensureLoop(api, prefix, sourceIds, created);
  return {
    loopId, sourceIds, created, sent, written,
    days: fromDay <= lastDay ? { from: isoDay(fromDay), to: isoDay(lastDay) } : null,
    ms: Date.now() - started,
  };
}

function zeroCounts(): DemoRowCounts {
  return { demand: 0, onHand: 0, openOrders: 0, itemMaster: 0 };
}

async function ensureSources(
  api: DemoApi, bodies: Record<DemoSourceRole, DemoSourceBody>, created: string[],
): Promise<Record<DemoSourceRole, string>> {
  const existing = await api.get<SourceView[]>('/api/v1/sources');
  const ids = {} as Record<DemoSourceRole, string>;
  for (const role of DEMO_SOURCE_ROLES) {
    const body = bodies[role];
    const found = existing.find((s) => s.name === body.name);
    if (found) {
      assertDemoShaped(found, body);
      ids[role] = found.id;
    } else {
      ids[role] = (await api.post<SourceView>('/api/v1/sources', body)).id;
      created.push(body.name);
    }
  }
  return ids;
}

/** A source of the same name that is not the demo's would take rows it does not expect. */
function assertDemoShaped(found: SourceView, body: DemoSourceBody): void {
  const fields = new Set(found.schema.fields.map((f) => f.name));
  const sameKey = found.schema.uniqueKey.join('|') === body.schema.uniqueKey.join('|');
  if (found.kind !== 'push' || !sameKey || body.schema.fields.some((f) => !fields.has(f.name))) {
    throw new Error(`source "${found.name}" exists but is not shaped like the demo's (push, unique key ${body.schema.uniqueKey.join(', ')}); `
      + 'rename or delete it, or set OPSLOOP_DEMO=0');
  }
}

/** The day after the newest day every daily source holds, within the two-year window. */
async function firstMissingDay(api: DemoApi, dailySourceIds: string[], lastDay: number): Promise<number> {
  const first = firstHistoryDay(lastDay);
  let next = lastDay + 1;
  for (const id of dailySourceIds) {
    const { newestTs } = await api.get<{ newestTs: string | null }>(`/api/v1/sources/${id}/health`);
    next = Math.min(next, newestTs ? dayOf(new Date(newestTs)) + 1 : first);
  }
  return Math.max(first, next);
}

async function ensureLoop(api: DemoApi, prefix: string, sourceIds: Record<DemoSourceRole, string>, created: string[]): Promise<string> {
  const name = demoLoopName(prefix);
  const found = await findLoop(api, name);
  if (!found) {
    const loop = await api.post<LoopView>('/api/v1/loops', demoLoopBody(prefix, sourceIds));
    created.push(name);
    return loop.id;
  }
  // A demo source deleted and made again has a new id: point the loop at the sources in use.
  const current = (found.params.sources ?? {}) as Partial<Record<DemoSourceRole, { sourceId?: string }>>;
  if (DEMO_SOURCE_ROLES.some((role) => current[role]?.sourceId !== sourceIds[role])) {
    await api.patch(`/api/v1/loops/${found.id}`, { params: { ...found.params, sources: demoSourceRefs(sourceIds) } });
  }
  return found.id;
}

async function findLoop(api: DemoApi, name: string): Promise<LoopView | undefined> {
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await api.get<LoopView[]>(`/api/v1/loops?kind=replenishment&limit=${limit}&offset=${offset}`);
    const found = page.find((l) => l.name === name);
    if (found || page.length < limit) return found;
  }
}
