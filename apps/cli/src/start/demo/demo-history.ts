/**
 * The demo shop's past, day by day, for one item at one store: what customers wanted, what the
 * shop ordered with its own rule of thumb, what arrived (late or early, sometimes never) and
 * what stood on the shelf each evening.
 *
 * Every series is simulated from one fixed day, not from "two years ago", so a day's figures are
 * the same whenever `npm start` runs: a later start can push just the missing days and they fit
 * the ones already stored.
 */
import { DemandPattern, DemoItem, leadTimeAt } from './demo-catalog';
import { dayFactor, poissonUnits, Rand, standardNormal, streamFor } from './demo-random';

export const DAY_MS = 86_400_000;
/** Monday 3 January 2022, day 0 of every simulated series. */
export const SIMULATION_START_DAY = Date.UTC(2022, 0, 3) / DAY_MS;
const NEW_YEAR_2022 = Date.UTC(2022, 0, 1) / DAY_MS;
const YEAR_DAYS = 365.25;
/** The shop reviews each supplier once a week. */
export const SHOP_REVIEW_DAYS = 7;
/** Days of sales the shop's rule of thumb averages. */
const TRAILING_DAYS = 28;
/** Mean size of a sale of an intermittent item (1 + Poisson(0.6)). */
const INTERMITTENT_SALE_SIZE = 1.6;
const CANCELLED_SHARE = 0.01;

const SEASON: Record<DemandPattern, { amplitude: number; peakDayOfYear: number }> = {
  steady: { amplitude: 0.12, peakDayOfYear: 350 },
  spring: { amplitude: 0.6, peakDayOfYear: 110 },
  summer: { amplitude: 0.75, peakDayOfYear: 185 },
  winter: { amplitude: 0.85, peakDayOfYear: 10 },
  growing: { amplitude: 0.1, peakDayOfYear: 180 },
  declining: { amplitude: 0.1, peakDayOfYear: 180 },
  intermittent: { amplitude: 0, peakDayOfYear: 0 },
};
/** A new product keeps gaining (linearly); an outgoing one loses a fifth a year, never reaching 0. */
function trendFactor(pattern: DemandPattern, years: number): number {
  if (pattern === 'growing') return 1 + 0.45 * years;
  if (pattern === 'declining') return Math.exp(-0.22 * years);
  return 1;
}

export interface PurchaseLine {
  poNumber: string;
  sku: string;
  location: string;
  orderDay: number;
  /** The day the goods arrive (before that day's sales); for a cancelled line, when they would have. */
  arrivalDay: number;
  quantity: number;
  cancelled: boolean;
}

export interface SeriesHistory {
  item: DemoItem;
  location: string;
  /** Units wanted each day, index 0 = SIMULATION_START_DAY. */
  demand: number[];
  /** Closing stock each day, same index. */
  onHand: number[];
  orders: PurchaseLine[];
}

/** Expected units a day: base × weekday × season × trend, before the day's noise. */
export function expectedDemand(item: DemoItem, location: string, day: number): number {
  const weekday = ((day % 7) + 11) % 7; // day 0 (1 Jan 1970) was a Thursday
  const season = SEASON[item.pattern];
  const dayOfYear = (day - NEW_YEAR_2022) % YEAR_DAYS;
  const seasonal = 1 + season.amplitude * Math.cos((2 * Math.PI * (dayOfYear - season.peakDayOfYear)) / YEAR_DAYS);
  const years = (day - SIMULATION_START_DAY) / YEAR_DAYS;
  return item.baseDaily * item.locationFactor[location] * item.weekly[weekday] * seasonal * trendFactor(item.pattern, years);
}

function dayDemand(rand: Rand, item: DemoItem, expected: number): number {
  if (item.pattern !== 'intermittent') return poissonUnits(rand, expected * dayFactor(rand, 0.3));
  const saleDay = rand() < Math.min(0.9, expected / INTERMITTENT_SALE_SIZE);
  return saleDay ? 1 + poissonUnits(rand, INTERMITTENT_SALE_SIZE - 1) : 0;
}

/** The shop's own order-up-to level: trailing mean over lead time plus a week, and a margin. */
function shopOrderUpTo(meanDaily: number, leadTimeDays: number): number {
  const cover = meanDaily * (leadTimeDays + SHOP_REVIEW_DAYS);
  return Math.ceil(cover * 1.15 + 1.3 * Math.sqrt(cover) + 1);
}

function orderQuantity(shortfall: number, item: DemoItem): number {
  const wanted = Math.max(shortfall, item.moq);
  return Math.ceil(wanted / item.packSize) * item.packSize;
}

export function poNumber(orderDay: number, supplierCode: string, location: string): string {
  const date = new Date(orderDay * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  return `PO-${date}-${supplierCode}-${location.replace('store-', 'S')}`;
}

export function simulateSeries(seed: number, item: DemoItem, itemIndex: number, location: string, locationIndex: number, lastDay: number): SeriesHistory {
  const days = Math.max(0, lastDay - SIMULATION_START_DAY + 1);
  const demandRand = streamFor(seed, itemIndex, 2 * locationIndex);
  const supplyRand = streamFor(seed, itemIndex, 2 * locationIndex + 1);
  const leadTime = leadTimeAt(item, location);
  const history: SeriesHistory = { item, location, demand: [], onHand: [], orders: [] };
  let stock = shopOrderUpTo(expectedDemand(item, location, SIMULATION_START_DAY), leadTime);
  let trailingSum = 0;
  let pending: PurchaseLine[] = []; // ordered, not cancelled, not yet arrived

  for (let i = 0; i < days; i++) {
    const day = SIMULATION_START_DAY + i;
    for (const line of pending) if (line.arrivalDay === day) stock += line.quantity;
    pending = pending.filter((l) => l.arrivalDay > day);

    if (((day % 7) + 11) % 7 === item.supplier.orderWeekday) {
      const seen = Math.min(i, TRAILING_DAYS);
      const meanDaily = seen > 0 ? trailingSum / seen : expectedDemand(item, location, day);
      const onOrder = pending.reduce((sum, l) => sum + l.quantity, 0);
      const shortfall = shopOrderUpTo(meanDaily, leadTime) - (stock + onOrder);
      if (shortfall > 0) {
        const actualLeadTime = Math.max(1, Math.round(leadTime + item.leadTimeSdDays * standardNormal(supplyRand)));
        const line: PurchaseLine = {
          poNumber: poNumber(day, item.supplier.code, location), sku: item.sku, location,
          orderDay: day, arrivalDay: day + actualLeadTime, quantity: orderQuantity(shortfall, item),
          // A supplier sometimes cannot deliver; the shop hears at once and reorders next week.
          cancelled: supplyRand() < CANCELLED_SHARE,
        };
        history.orders.push(line);
        if (!line.cancelled) pending.push(line);
      }
    }

    const wanted = dayDemand(demandRand, item, expectedDemand(item, location, day));
    stock -= Math.min(wanted, stock); // what the shelf cannot cover is lost
    history.demand.push(wanted);
    history.onHand.push(stock);
    trailingSum += wanted - (i >= TRAILING_DAYS ? history.demand[i - TRAILING_DAYS] : 0);
  }
  return history;
}
