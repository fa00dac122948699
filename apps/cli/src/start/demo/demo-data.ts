/**
 * The demo's rows for the four replenishment sources (demand, on hand, open orders, item master),
 * in the field names of the replenishment contract. Pure: the same seed and the same days give
 * the same rows on every machine.
 */
import { DEMO_LOCATIONS, demoCatalog, DemoItem } from './demo-catalog';
import { DAY_MS, SeriesHistory, SIMULATION_START_DAY, simulateSeries } from './demo-history';

export const DEMO_SEED = 6006;
/** Days of history a fresh demo gets: two years ending yesterday. */
export const DEMO_HISTORY_DAYS = 730;

export interface DemandRow { sku: string; location: string; ts: string; qty: number }
export interface OnHandRow { sku: string; location: string; ts: string; onHand: number }
export interface PurchaseOrderRow {
  poNumber: string; sku: string; location: string; ts: string; quantity: number; status: 'open' | 'received' | 'cancelled';
}
export interface ItemMasterRow {
  sku: string; location: string; ts: string; name: string; supplier: string; unitCost: number;
  packSize: number; moq?: number; leadTimeDays?: number; leadTimeSdDays?: number;
}

export interface DemoDataset {
  items: DemoItem[];
  series: SeriesHistory[];
  /** The newest simulated day (UTC day number); purchase-order statuses are as of its evening. */
  lastDay: number;
}

export const dayOf = (date: Date): number => Math.floor(date.getTime() / DAY_MS);
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString();

export function simulateDemo(lastDay: number, seed = DEMO_SEED): DemoDataset {
  const items = demoCatalog(seed);
  const series = items.flatMap((item, i) =>
    DEMO_LOCATIONS.map((location, l) => simulateSeries(seed, item, i, location, l, lastDay)));
  return { items, series, lastDay };
}

/** The first day a fresh demo pushes: two years before the newest day, never before the simulation. */
export function firstHistoryDay(lastDay: number): number {
  return Math.max(SIMULATION_START_DAY, lastDay - DEMO_HISTORY_DAYS + 1);
}

/** Days `fromDay..toDay` (inclusive), day by day, every series on each day. */
function perDay<R>(ds: DemoDataset, fromDay: number, toDay: number, row: (s: SeriesHistory, index: number, ts: string) => R): R[] {
  const rows: R[] = [];
  const from = Math.max(fromDay, SIMULATION_START_DAY);
  for (let day = from; day <= Math.min(toDay, ds.lastDay); day++) {
    const ts = isoDay(day);
    for (const s of ds.series) rows.push(row(s, day - SIMULATION_START_DAY, ts));
  }
  return rows;
}

export function demandRows(ds: DemoDataset, fromDay: number, toDay: number): DemandRow[] {
  return perDay(ds, fromDay, toDay, (s, i, ts) => ({ sku: s.item.sku, location: s.location, ts, qty: s.demand[i] }));
}

export function onHandRows(ds: DemoDataset, fromDay: number, toDay: number): OnHandRow[] {
  return perDay(ds, fromDay, toDay, (s, i, ts) => ({ sku: s.item.sku, location: s.location, ts, onHand: s.onHand[i] }));
}

/** Lines ordered on or after `sinceDay`, each with its status on the evening of the newest day. */
export function purchaseOrderRows(ds: DemoDataset, sinceDay: number): PurchaseOrderRow[] {
  return ds.series
    .flatMap((s) => s.orders)
    .filter((l) => l.orderDay >= sinceDay)
    .sort((a, b) => a.orderDay - b.orderDay || a.poNumber.localeCompare(b.poNumber) || a.sku.localeCompare(b.sku))
    .map((l) => ({
      poNumber: l.poNumber, sku: l.sku, location: l.location, ts: isoDay(l.orderDay), quantity: l.quantity,
      status: l.cancelled ? 'cancelled' : l.arrivalDay <= ds.lastDay ? 'received' : 'open',
    }));
}

/**
 * One row per item for every location (`*`), plus an exact-location row where store-2 is
 * supplied from farther away. The item without a lead time has no leadTimeDays at all.
 */
export function itemMasterRows(ds: DemoDataset): ItemMasterRow[] {
  const asOf = isoDay(SIMULATION_START_DAY);
  return ds.items.flatMap((item) => {
    const base = {
      sku: item.sku, location: '*', ts: asOf, name: item.name, supplier: item.supplier.name,
      unitCost: item.unitCost, packSize: item.packSize,
      ...(item.moq > 0 ? { moq: item.moq } : {}),
      ...(item.leadTimeInMaster ? { leadTimeDays: item.leadTimeDays, leadTimeSdDays: item.leadTimeSdDays } : {}),
    };
    const override = item.leadTimeOverride;
    return override ? [base, { ...base, location: override.location, leadTimeDays: override.leadTimeDays }] : [base];
  });
}
