/**
 * The replenishment loop on the real stack: the four sources of the kind's contract (demand,
 * onHand, openOrders, itemMaster) created through the sources API, rows pushed through it the way
 * a store system would, a loop instance wired to them, and an ERP stand-in (the effect target)
 * that records every purchase proposal with its Idempotency-Key.
 *
 * Dates are fixed in the past so every outcome window has fully happened: 120 days of history end
 * on 2025-04-30, so the run's data date is 2025-05-01 and the days after it are the outcome window.
 */
import { randomUUID } from 'node:crypto';
import { EffectTarget, intentHeader, startEffectTarget } from './effect-target';
import { createLoop, EngineFixture, startEngine } from './engine-fixture';
import { bearer } from './test-apps';

export const DATA_DATE = '2025-05-01';
export const HISTORY_DAYS = 120;
export const LOCATION = 'store-1';

type Row = Record<string, unknown>;
type Headers = Record<string, string>;

// ---- dates -------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the day `offset` days after `date` (negative: before). */
export function addDays(date: string, offset: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** A timestamp inside a UTC day; not midnight, so the kind's per-UTC-day bucketing is exercised. */
const at = (date: string, time = '12:00:00') => `${date}T${time}Z`;

// ---- the four source definitions (field names fixed by the contract) -----------------------------

const itemFields = [
  { name: 'sku', type: 'string', required: true },
  { name: 'location', type: 'string', required: true },
  { name: 'ts', type: 'timestamp', required: true },
];
const perItem = { timeField: 'ts', seriesKey: ['sku', 'location'], dimensions: ['sku', 'location'] };

export const SOURCE_SCHEMAS = {
  demand: {
    fields: [...itemFields, { name: 'qty', type: 'number', required: true, min: 0 }],
    uniqueKey: ['sku', 'location', 'ts'], valueField: 'qty', ...perItem,
  },
  onHand: {
    fields: [...itemFields, { name: 'onHand', type: 'number', required: true, min: 0 }],
    uniqueKey: ['sku', 'location', 'ts'], valueField: 'onHand', ...perItem,
  },
  openOrders: {
    fields: [
      { name: 'poNumber', type: 'string', required: true }, ...itemFields,
      { name: 'quantity', type: 'number', required: true, min: 0 },
      // The contract calls this list allowedValues; the sources API's field spec names it `allowed`.
      { name: 'status', type: 'string', required: true, allowed: ['open', 'received', 'cancelled'] },
    ],
    uniqueKey: ['poNumber', 'sku', 'location'], valueField: 'quantity', ...perItem, dimensions: ['sku', 'location', 'status'],
  },
  itemMaster: {
    fields: [
      ...itemFields,
      { name: 'leadTimeDays', type: 'number', required: false, min: 0 },
      { name: 'leadTimeSdDays', type: 'number', required: false, min: 0 },
      { name: 'unitCost', type: 'number', required: false, min: 0 },
      { name: 'moq', type: 'number', required: false, min: 0 },
      { name: 'packSize', type: 'number', required: false, min: 0 },
      { name: 'supplier', type: 'string', required: false },
    ],
    uniqueKey: ['sku', 'location'], valueField: 'unitCost', ...perItem,
  },
} as const;

export type SourceRole = keyof typeof SOURCE_SCHEMAS;
export type ReplenishmentSources = Record<SourceRole, string>;

/** openOrders and itemMaster re-send a line to change it (received PO, new cost): upsert. */
const ON_DUPLICATE: Record<SourceRole, 'skip' | 'upsert'> = { demand: 'skip', onHand: 'skip', openOrders: 'upsert', itemMaster: 'upsert' };

// ---- the stack: engine, operator key, ERP stand-in ------------------------------------------------

export interface ReplenishmentStack {
  f: EngineFixture;
  /** An operator key: pushes rows and approves orders, as a store system and a planner would. */
  operator: Headers;
  erp: EffectTarget;
  close(): Promise<void>;
}

export async function startReplenishmentStack(): Promise<ReplenishmentStack> {
  const erp = await startEffectTarget();
  const f = await startEngine();
  const key = await f.api.http().post('/api/v1/api-keys').set(f.admin).send({ name: `replenishment operator ${randomUUID()}`, role: 'operator' });
  if (key.status !== 201) throw new Error(`operator key: ${key.status} ${JSON.stringify(key.body)}`);
  return {
    f, erp, operator: bearer(key.body.key as string),
    close: async () => {
      await f.close();
      await erp.close();
    },
  };
}

/** The ERP answers 503 to the next `n` requests, whatever decision they carry. */
export function failFirst(erp: EffectTarget, n: number): void {
  erp.misbehave(...Array.from({ length: n }, () => 'unavailable' as const));
}

export async function createSources(s: ReplenishmentStack, options: Partial<Record<SourceRole, Row>> = {}): Promise<ReplenishmentSources> {
  const ids = {} as ReplenishmentSources;
  for (const role of Object.keys(SOURCE_SCHEMAS) as SourceRole[]) {
    const res = await s.f.api.http().post('/api/v1/sources').set(s.f.admin).send({
      name: `replenishment ${role} ${randomUUID()}`, kind: 'push', schema: SOURCE_SCHEMAS[role], onDuplicate: ON_DUPLICATE[role], ...options[role],
    });
    if (res.status !== 201) throw new Error(`create ${role} source: ${res.status} ${JSON.stringify(res.body)}`);
    ids[role] = res.body.id as string;
  }
  return ids;
}

export interface BatchReport {
  status: string;
  rowsReceived: number;
  rowsWritten: number;
  rowsQuarantined: number;
  problems: { row: number; field: string | null; reason: string }[];
}

/** Pushes one batch and answers the HTTP status with the batch report (201 or 422 both carry one). */
export async function push(s: ReplenishmentStack, sourceId: string, rows: Row[]): Promise<{ status: number; report: BatchReport }> {
  const res = await s.f.api.http().post(`/api/v1/sources/${sourceId}/observations`).set(s.operator).send(rows);
  if (res.status !== 201 && res.status !== 422) throw new Error(`push: ${res.status} ${JSON.stringify(res.body)}`);
  return { status: res.status, report: res.body as BatchReport };
}

/** Pushes a batch that must be stored whole. */
export async function pushAll(s: ReplenishmentStack, sourceId: string, rows: Row[]): Promise<void> {
  const { status, report } = await push(s, sourceId, rows);
  if (status !== 201 || report.status !== 'accepted') throw new Error(`push expected accepted, got ${status} ${JSON.stringify(report)}`);
}

// ---- rows -----------------------------------------------------------------------------------------

/** One demand row per day from `from`; `qty(i)` for day i. `splits` > 1 sends each day as that many rows (summed per UTC day). */
export function demandRows(sku: string, from: string, days: number, qty: (i: number) => number, splits = 1, location = LOCATION): Row[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(from, i);
    const total = qty(i);
    if (splits === 1) return [{ sku, location, ts: at(date), qty: total }];
    // Uneven parts (e.g. 10 → 6 + 4) at different hours, so only a per-day sum gives the total back.
    const first = Math.ceil((total * 0.6) / (splits - 1));
    const parts = [...Array.from({ length: splits - 1 }, () => first), total - first * (splits - 1)];
    return parts.map((part, k) => ({ sku, location, ts: at(date, `${String(8 + k).padStart(2, '0')}:30:00`), qty: part }));
  }).flat();
}

/** Closing stock, one row per day from `from`. */
export function onHandRows(sku: string, from: string, closes: readonly number[], location = LOCATION): Row[] {
  return closes.map((onHand, i) => ({ sku, location, ts: at(addDays(from, i), '23:00:00'), onHand }));
}

export interface MasterData {
  leadTimeDays?: number;
  leadTimeSdDays?: number;
  unitCost?: number;
  moq?: number;
  packSize?: number;
  supplier?: string;
}

export function masterRow(sku: string, data: MasterData, location = LOCATION, asOf = addDays(DATA_DATE, -HISTORY_DAYS)): Row {
  return { sku, location, ts: at(asOf, '00:00:00'), ...data };
}

export function openOrderRow(poNumber: string, sku: string, quantity: number, status: 'open' | 'received' | 'cancelled', orderDate: string, location = LOCATION): Row {
  return { poNumber, sku, location, ts: at(orderDate, '09:00:00'), quantity, status };
}

/** An item as a test states it: flat daily demand over the whole history, stock at the end of it. */
export interface ItemSetup {
  sku: string;
  dailyDemand: number;
  onHand: number;
  /** Its item-master row for LOCATION; left out when the test sends master rows itself. */
  master?: MasterData;
  /** Send each day's demand as this many rows. */
  splits?: number;
}

/**
 * Pushes the history of each item: demand for the HISTORY_DAYS before DATA_DATE and one on-hand
 * close on the last history day, plus its item-master row when given. Flat demand makes the forecast exact
 * (no error, so no safety stock) and the expected order a hand calculation: S = d·(L + R).
 */
export async function seedItems(s: ReplenishmentStack, sources: ReplenishmentSources, items: readonly ItemSetup[]): Promise<void> {
  const start = addDays(DATA_DATE, -HISTORY_DAYS);
  await pushAll(s, sources.demand, items.flatMap((it) => demandRows(it.sku, start, HISTORY_DAYS, () => it.dailyDemand, it.splits ?? 1)));
  await pushAll(s, sources.onHand, items.map((it) => onHandRows(it.sku, addDays(DATA_DATE, -1), [it.onHand])[0]!));
  const masters = items.flatMap((it) => (it.master ? [masterRow(it.sku, it.master)] : []));
  if (masters.length > 0) await pushAll(s, sources.itemMaster, masters);
}

/**
 * Closing stock over the days from DATA_DATE under lost sales: each day starts from the previous
 * close plus what arrives that morning, and sells what it can. Store data, not the kind's maths.
 */
export function closingStock(start: number, demand: readonly number[], receipts: Record<number, number> = {}): number[] {
  let stock = start;
  return demand.map((d, day) => (stock = Math.max(0, stock + (receipts[day] ?? 0) - d)));
}

// ---- the loop -------------------------------------------------------------------------------------

/** A loop instance per the contract; `params` and top-level fields override the defaults shallowly. */
export function loopBody(sources: ReplenishmentSources, erpUrl: string, over: { params?: Row } & Row = {}): Row {
  const { params, ...rest } = over;
  return {
    name: `replenishment ${randomUUID()}`, kind: 'replenishment', mode: 'live',
    params: {
      targetServiceLevel: 0.95, reviewPeriodDays: 7, serviceLevelFactor: 1, historyDays: HISTORY_DAYS, maxLeadTimeDays: 28,
      sources: Object.fromEntries(Object.entries(sources).map(([role, sourceId]) => [role, { sourceId, pull: false }])),
      outcome: { afterSeconds: 3600 },
      ...params,
    },
    // Runs are started by hand (POST /loops/:id/runs): no Schedule is left firing after the spec.
    trigger: { type: 'event' },
    approval: { when: 'above', threshold: 2000, timeoutSeconds: 600, onTimeout: 'reject' },
    actionTarget: { type: 'webhook', url: erpUrl, timeoutSeconds: 3, maxAttempts: 3 },
    ...rest,
  };
}

export function createReplenishmentLoop(s: ReplenishmentStack, sources: ReplenishmentSources, over: { params?: Row } & Row = {}) {
  return createLoop(s.f, loopBody(sources, s.erp.url, over));
}

// ---- reading back ---------------------------------------------------------------------------------

export interface LedgerEntry {
  type: string;
  decisionId: string | null;
  body: Record<string, unknown> & { reason?: string; inputs?: Record<string, unknown> };
}

export async function ledger(s: ReplenishmentStack, query: string): Promise<LedgerEntry[]> {
  const res = await s.f.api.http().get(`/api/v1/ledger?${query}`).set(s.f.admin);
  if (res.status !== 200) throw new Error(`ledger: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.entries as LedgerEntry[];
}

/** The purchase proposals the ERP received for one decision. */
export const proposalsFor = (erp: EffectTarget, decisionId: string) => erp.deliveries.filter((d) => d.body['decisionId'] === decisionId);

/** The intent of a purchase proposal, as the README documents it: loop, sku, location and data date. */
export const orderIntent = (loopId: string, sku: string, location = LOCATION, dataDate = DATA_DATE) =>
  [loopId, 'order', sku, location, dataDate].map(encodeURIComponent).join(':');

/** The Idempotency-Key the ERP sees for an order: derived from its intent, never from a decision id. */
export const idempotencyKeyOf = (loopId: string, sku: string, location = LOCATION, dataDate = DATA_DATE) => intentHeader(orderIntent(loopId, sku, location, dataDate));
