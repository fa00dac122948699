/**
 * The day-by-day stock simulation of contract 4, for one policy over all items of a scenario.
 *
 * Each simulated day t (from warmupDays to the item's last day), per item:
 *   1. onHandStart is the stock left from the day before (initialOnHand on day warmupDays);
 *   2. orders placed on day t − leadTimeDays arrive (receipts);
 *   3. on review days (t − warmupDays a multiple of reviewPeriodDays) the policy decides, shown
 *      only stock, open orders and `demand[0..t)`: it is handed a copy of the past and never holds
 *      the scenario, so it cannot look ahead. An order with lead time 0 arrives at once;
 *   4. the day's demand is served from stock; what stock cannot cover is lost.
 * Warm-up days are history only: no receipts, orders, sales or figures.
 */
import { ScenarioItem } from './scenario';

/** What a policy sees of one item on a review day. */
export interface ItemView {
  sku: string;
  location: string;
  leadTimeDays: number;
  unitCost: number;
  moq: number;
  packSize: number;
  /** Daily demand of the days before the review day, oldest first (a private copy). */
  history: number[];
  /** Units sold on each simulated day before the review day: sales[k] is day warmupDays + k. */
  sales: number[];
  /** Stock after today's receipts. */
  onHand: number;
  /** Ordered and not yet arrived. */
  onOrder: number;
}

export interface SimulatedPolicy {
  name: string;
  /** Order quantity per view, same order; 0 for no order. */
  decide(day: number, views: readonly ItemView[]): number[];
}

export interface TraceRow {
  policy: string;
  sku: string;
  location: string;
  day: number;
  demand: number;
  sales: number;
  lost: number;
  onHandStart: number;
  receipts: number;
  orderQty: number;
}

/** Per-item totals over the simulated days. */
export interface ItemTotals {
  sku: string;
  location: string;
  unitCost: number;
  days: number;
  demand: number;
  sales: number;
  lost: number;
  stockoutDays: number;
  /** Σ of end-of-day stock over the simulated days. */
  onHandDaySum: number;
  orders: number;
  orderedUnits: number;
}

interface ItemState {
  item: ScenarioItem;
  onHand: number;
  sales: number[];
  /** Quantity arriving at the start of each future day. */
  arrivals: Map<number, number>;
  onOrder: number;
  totals: ItemTotals;
}

function newState(item: ScenarioItem): ItemState {
  return {
    item,
    onHand: item.initialOnHand,
    sales: [],
    arrivals: new Map(),
    onOrder: 0,
    totals: { sku: item.sku, location: item.location, unitCost: item.unitCost, days: 0, demand: 0, sales: 0, lost: 0,
      stockoutDays: 0, onHandDaySum: 0, orders: 0, orderedUnits: 0 },
  };
}

function view(s: ItemState, day: number): ItemView {
  const { item } = s;
  return { sku: item.sku, location: item.location, leadTimeDays: item.leadTimeDays, unitCost: item.unitCost,
    moq: item.moq ?? 0, packSize: item.packSize ?? 1, history: item.demand.slice(0, day), sales: [...s.sales], onHand: s.onHand,
    onOrder: s.onOrder };
}

function receive(s: ItemState, day: number): number {
  const qty = s.arrivals.get(day) ?? 0;
  s.arrivals.delete(day);
  s.onHand += qty;
  s.onOrder -= qty;
  return qty;
}

function place(s: ItemState, day: number, qty: number, policy: string): void {
  if (!(Number.isFinite(qty) && qty >= 0)) throw new Error(`policy ${policy} ordered ${qty} of ${s.item.sku} @ ${s.item.location} on day ${day}`);
  if (qty === 0) return;
  const due = day + s.item.leadTimeDays;
  s.arrivals.set(due, (s.arrivals.get(due) ?? 0) + qty);
  s.onOrder += qty;
  s.totals.orders += 1;
  s.totals.orderedUnits += qty;
}

export interface SimulationSettings {
  warmupDays: number;
  reviewPeriodDays: number;
}

export function simulatePolicy(
  items: readonly ScenarioItem[],
  settings: SimulationSettings,
  policy: SimulatedPolicy,
  onTrace?: (row: TraceRow) => void,
): ItemTotals[] {
  const states = items.map(newState);
  const lastDay = Math.max(...items.map((i) => i.demand.length)) - 1;
  for (let day = settings.warmupDays; day <= lastDay; day++) {
    const live = states.filter((s) => day < s.item.demand.length);
    const onHandStart = live.map((s) => s.onHand);
    const receipts = live.map((s) => receive(s, day));
    const orders = live.map(() => 0);
    if ((day - settings.warmupDays) % settings.reviewPeriodDays === 0) {
      const quantities = policy.decide(day, live.map((s) => view(s, day)));
      live.forEach((s, i) => {
        orders[i] = quantities[i] ?? 0;
        place(s, day, orders[i], policy.name);
        if (s.item.leadTimeDays === 0) receipts[i] += receive(s, day);
      });
    }
    live.forEach((s, i) => {
      const row = serve(s, day);
      onTrace?.({ policy: policy.name, sku: s.item.sku, location: s.item.location, day, ...row,
        onHandStart: onHandStart[i]!, receipts: receipts[i]!, orderQty: orders[i]! });
    });
  }
  return states.map((s) => s.totals);
}

function serve(s: ItemState, day: number): { demand: number; sales: number; lost: number } {
  const demand = s.item.demand[day]!;
  const sales = Math.min(demand, s.onHand);
  const lost = demand - sales;
  s.onHand -= sales;
  s.sales.push(sales);
  const t = s.totals;
  t.days += 1;
  t.demand += demand;
  t.sales += sales;
  t.lost += lost;
  // Fractional pack sizes leave float dust; a stockout is a real shortfall, not 1e-15 of one.
  if (lost > 1e-9) t.stockoutDays += 1;
  t.onHandDaySum += s.onHand;
  return { demand, sales, lost };
}
