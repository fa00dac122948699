/**
 * The scale bench's items, generated from a fixed seed: item master data and two years of daily
 * demand per item, seven demand patterns mixed across the catalogue. Each item draws from its
 * own seeded stream, so item i is the same whatever the catalogue size (a 100-item trial load
 * holds exactly the first 100 items of the 10,000-item one).
 */
import { seededRandom } from '@opsloop/analytics';
import { poisson } from '../scenarios';

export const LOCATION = 'dc-1';
export const REVIEW_PERIOD_DAYS = 7;
const SEED = 20261206;

export const PATTERNS = ['stationary', 'trend', 'weekly-season', 'yearly-season', 'intermittent', 'promotion-spikes', 'level-shift'] as const;
export type Pattern = (typeof PATTERNS)[number];

export interface CatalogItem {
  index: number;
  sku: string;
  pattern: Pattern;
  /** Mean daily units before the pattern's shape is applied. */
  base: number;
  /** Missing on a few items: the kind must answer "not ordered: missing lead time". */
  leadTimeDays: number | null;
  leadTimeSdDays: number | null;
  unitCost: number;
  moq: number | null;
  packSize: number | null;
  supplier: string;
  /** `*` (every location) on most items, the exact location on the rest. */
  masterLocation: string;
}

export function skuOf(index: number): string {
  return `SKU-${String(index + 1).padStart(5, '0')}`;
}

function streamOf(index: number, purpose: number): () => number {
  return seededRandom(SEED + index * 7919 + purpose * 104_729);
}

/** Log-uniform in [lo, hi]: slow and fast movers, cheap and dear items, in realistic proportions. */
function logUniform(rand: () => number, lo: number, hi: number): number {
  return lo * (hi / lo) ** rand();
}

export function catalogItem(index: number): CatalogItem {
  const rand = streamOf(index, 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const missingLeadTime = rand() < 0.005;
  return {
    index,
    sku: skuOf(index),
    pattern: PATTERNS[index % PATTERNS.length]!,
    base: logUniform(rand, 0.3, 60),
    leadTimeDays: missingLeadTime ? null : 2 + Math.floor(rand() * 13),
    leadTimeSdDays: rand() < 0.5 ? Math.round(rand() * 20) / 10 : null,
    unitCost: Math.round(logUniform(rand, 0.5, 500) * 100) / 100,
    moq: pick([null, null, 6, 12, 24, 50]),
    packSize: pick([null, 1, 1, 4, 6, 12, 24]),
    supplier: `SUP-${String(1 + Math.floor(rand() * 50)).padStart(2, '0')}`,
    masterLocation: rand() < 0.8 ? '*' : LOCATION,
  };
}


type Shape = (t: number) => number;

/** The level path of a pattern, its parameters drawn per item. */
function shapeOf(item: CatalogItem, days: number, rand: () => number): Shape {
  switch (item.pattern) {
    case 'stationary':
      return () => 1;
    case 'trend': {
      const perYear = -0.45 + 1.65 * rand(); // −45 % to +120 % a year
      return (t) => Math.max(0.05, 1 + (perYear * t) / 365);
    }
    case 'weekly-season': {
      const profile = [0.75, 0.8, 0.85, 0.95, 1.15, 1.6, 0.9];
      const strength = 0.4 + 0.8 * rand();
      return (t) => 1 + strength * (profile[t % 7]! - 1);
    }
    case 'yearly-season': {
      const amplitude = 0.3 + 0.3 * rand();
      const phase = Math.floor(rand() * 365);
      return (t) => 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 365);
    }
    case 'intermittent': {
      const p = 0.05 + 0.25 * rand();
      return () => (rand() < p ? 1 / p : 0);
    }
    case 'promotion-spikes': {
      const lift = new Float64Array(days).fill(1);
      for (let t = Math.floor(rand() * 40); t < days; t += 28 + Math.floor(rand() * 35)) {
        const factor = 2 + 2 * rand();
        const length = 3 + Math.floor(rand() * 5);
        for (let k = t; k < Math.min(days, t + length); k++) lift[k] = factor;
      }
      return (t) => lift[t]!;
    }
    case 'level-shift': {
      const factor = rand() < 0.5 ? 1.5 + rand() : 0.4 + 0.2 * rand();
      const at = Math.floor(days / 3 + rand() * (days / 3));
      return (t) => (t >= at ? factor : 1);
    }
  }
}

/** Whole units per day, oldest first: Poisson around the item's level path. */
export function dailyDemand(item: CatalogItem, days: number): Int32Array {
  const rand = streamOf(item.index, 2);
  const shape = shapeOf(item, days, rand);
  const out = new Int32Array(days);
  for (let t = 0; t < days; t++) out[t] = poisson(rand, item.base * shape(t));
  return out;
}

/** Mean of the last four weeks: what the on-hand and open-order quantities are sized from. */
export function recentDailyMean(demand: Int32Array): number {
  const from = Math.max(0, demand.length - 28);
  let sum = 0;
  for (let t = from; t < demand.length; t++) sum += demand[t]!;
  return sum / Math.max(1, demand.length - from);
}

export interface StockPosition {
  onHand: number;
  /** An open purchase order line, on about a fifth of the items. */
  openOrder: { poNumber: string; quantity: number; daysAgo: number } | null;
  /** A line already received (status `received`): must not count as on order. */
  receivedOrder: { poNumber: string; quantity: number; daysAgo: number } | null;
}

/**
 * Stock between empty and a few weeks of cover, so a realistic share of items sits below its
 * order-up-to level and orders, and the rest does not.
 */
export function stockPosition(item: CatalogItem, demand: Int32Array): StockPosition {
  const rand = streamOf(item.index, 3);
  const daily = recentDailyMean(demand);
  const lead = item.leadTimeDays ?? 7;
  const onHand = Math.round(daily * rand() * (lead + REVIEW_PERIOD_DAYS + 10));
  const po = (n: number) => `PO-${String(item.index + 1).padStart(5, '0')}-${n}`;
  const openOrder = rand() < 0.2
    ? { poNumber: po(1), quantity: Math.max(1, Math.round(daily * REVIEW_PERIOD_DAYS)), daysAgo: Math.floor(rand() * lead) }
    : null;
  const receivedOrder = rand() < 0.05
    ? { poNumber: po(0), quantity: Math.max(1, Math.round(daily * REVIEW_PERIOD_DAYS)), daysAgo: lead + Math.floor(rand() * 7) }
    : null;
  return { onHand, openOrder, receivedOrder };
}
