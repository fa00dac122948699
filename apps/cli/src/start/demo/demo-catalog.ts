/**
 * The demo retailer: a home-and-garden shop with two stores, five suppliers and fifty items.
 * Names, demand patterns, costs and packs are written out so the ledger reads like a real shop;
 * the small per-item variations (weekday profile, size of the second store) come from the seed.
 */
import { between, streamFor } from './demo-random';

export const DEMO_LOCATIONS = ['store-1', 'store-2'] as const;

/**
 * steady: weekday rhythm and a slight pre-Christmas lift; spring / summer / winter: a yearly
 * season peaking then; growing / declining: a trend of a new or outgoing product;
 * intermittent: most days sell nothing.
 */
export type DemandPattern = 'steady' | 'spring' | 'summer' | 'winter' | 'growing' | 'declining' | 'intermittent';

export interface DemoSupplier {
  code: string;
  name: string;
  leadTimeDays: number;
  leadTimeSdDays: number;
  /** The weekday (0 = Sunday) the stores order from this supplier. */
  orderWeekday: number;
}

export interface DemoItem {
  sku: string;
  name: string;
  pattern: DemandPattern;
  /** Mean units a day at store-1 at the start of the simulation, before weekday and season. */
  baseDaily: number;
  unitCost: number;
  supplier: DemoSupplier;
  packSize: number;
  /** 0: no minimum order quantity. */
  moq: number;
  leadTimeDays: number;
  leadTimeSdDays: number;
  /** False for the one item whose lead time nobody entered in the item master. */
  leadTimeInMaster: boolean;
  /** Mean 1, index 0 = Sunday. */
  weekly: number[];
  /** Demand of each location relative to store-1. */
  locationFactor: Record<string, number>;
  /** A location supplied from further away: its own item-master row with a longer lead time. */
  leadTimeOverride?: { location: string; leadTimeDays: number };
}

const SUPPLIERS: Record<string, DemoSupplier> = {
  FX: { code: 'FX', name: 'FixIt Hardware', leadTimeDays: 2, leadTimeSdDays: 0.5, orderWeekday: 4 },
  BH: { code: 'BH', name: 'BrightHome Electric', leadTimeDays: 3, leadTimeSdDays: 0.7, orderWeekday: 3 },
  NT: { code: 'NT', name: 'Nordic Tools', leadTimeDays: 6, leadTimeSdDays: 1.2, orderWeekday: 1 },
  GG: { code: 'GG', name: 'GreenGrow Garden Supply', leadTimeDays: 10, leadTimeSdDays: 2, orderWeekday: 2 },
  FE: { code: 'FE', name: 'Far East Imports', leadTimeDays: 14, leadTimeSdDays: 3, orderWeekday: 1 },
};

/** The item whose lead time is missing from the item master ("not ordered: missing lead time"). */
export const SKU_WITHOUT_LEAD_TIME = 'SKU-034';
/** The item store-2 receives from a farther warehouse (an exact-location item-master row). */
const SKU_WITH_LOCATION_OVERRIDE = 'SKU-021';

// name, pattern, mean units a day at store-1, unit cost, supplier, pack size, MOQ
type ItemLine = [string, DemandPattern, number, number, keyof typeof SUPPLIERS, number, number];
const ITEMS: ItemLine[] = [
  ['LED bulb E27 9W', 'steady', 14, 2.4, 'BH', 10, 0],
  ['LED bulb GU10 5W', 'steady', 9, 2.9, 'BH', 10, 0],
  ['AA batteries 4-pack', 'steady', 18, 3.5, 'BH', 12, 24],
  ['AAA batteries 4-pack', 'steady', 12, 3.5, 'BH', 12, 24],
  ['Extension cord 5 m', 'steady', 3, 8.9, 'BH', 1, 0],
  ['Power strip 6-way', 'steady', 2.5, 12.5, 'BH', 1, 0],
  ['Smart plug Wi-Fi', 'growing', 1.5, 14, 'FE', 6, 12],
  ['Halogen bulb 42W', 'declining', 7, 1.9, 'BH', 10, 0],
  ['Duct tape 50 m', 'steady', 6, 4.2, 'FX', 6, 0],
  ['Wood screws 4x40 (200)', 'steady', 5, 6.5, 'FX', 1, 0],
  ['Wall plugs 6 mm (100)', 'steady', 4, 3.1, 'FX', 1, 0],
  ['Claw hammer 500 g', 'steady', 1.2, 11.9, 'NT', 1, 0],
  ['Screwdriver set 6 pc', 'steady', 1.5, 9.5, 'NT', 1, 0],
  ['Cordless drill 18V', 'growing', 0.6, 79, 'NT', 1, 0],
  ['HSS drill bit set', 'steady', 1, 15, 'NT', 1, 0],
  ['Tape measure 5 m', 'steady', 1.8, 6.9, 'NT', 1, 0],
  ['Work gloves L', 'steady', 4, 3.9, 'FX', 12, 0],
  ['Safety glasses', 'steady', 1.4, 4.5, 'FX', 10, 0],
  ['Sandpaper assorted (10)', 'steady', 2.5, 4.9, 'FX', 1, 0],
  ['Paint brush set', 'spring', 2.2, 7.5, 'FX', 1, 0],
  ['Interior paint white 10 L', 'spring', 2, 39, 'NT', 1, 0],
  ['Masking tape 25 mm', 'spring', 3.5, 2.5, 'FX', 6, 0],
  ['Silicone sealant clear', 'steady', 2, 6.2, 'FX', 1, 0],
  ['Garden hose 15 m', 'summer', 2, 19.9, 'GG', 1, 0],
  ['Hose connector set', 'summer', 2.6, 6.5, 'GG', 1, 0],
  ['Potting soil 40 L', 'spring', 9, 5.9, 'GG', 1, 20],
  ['Lawn seed 1 kg', 'spring', 2.5, 12.9, 'GG', 1, 0],
  ['Lawn fertiliser 5 kg', 'spring', 1.8, 16.5, 'GG', 1, 0],
  ['Plant pot 30 cm', 'spring', 3, 4.9, 'GG', 6, 0],
  ['BBQ charcoal 5 kg', 'summer', 6, 7.9, 'GG', 1, 20],
  ['Firelighters (32)', 'summer', 4, 2.9, 'GG', 12, 0],
  ['Mosquito repellent', 'summer', 3, 6.9, 'GG', 12, 0],
  ['Sun lounger', 'summer', 0.35, 59, 'FE', 1, 0],
  ['Solar garden light', 'summer', 1.6, 8.9, 'FE', 6, 12],
  ['Pruning shears', 'spring', 0.9, 14.9, 'NT', 1, 0],
  ['Wheelbarrow 85 L', 'intermittent', 0.25, 69, 'NT', 1, 0],
  ['Snow shovel', 'winter', 1, 24.9, 'NT', 1, 0],
  ['De-icer spray 500 ml', 'winter', 3, 4.5, 'FX', 12, 0],
  ['Road salt 10 kg', 'winter', 4, 6.9, 'GG', 1, 20],
  ['Electric heater 2 kW', 'winter', 0.8, 34.9, 'BH', 1, 0],
  ['Draught excluder tape', 'winter', 1.6, 5.5, 'FX', 6, 0],
  ['Christmas lights 100 LED', 'winter', 2.5, 12.9, 'FE', 6, 0],
  ['Smoke detector', 'steady', 0.9, 14.5, 'BH', 1, 0],
  ['Padlock 40 mm', 'steady', 1.1, 8.9, 'NT', 1, 0],
  ['Step ladder 3 steps', 'intermittent', 0.2, 49, 'FE', 1, 0],
  ['Tool box 19 in', 'intermittent', 0.3, 24, 'FE', 1, 0],
  ['Pressure washer', 'intermittent', 0.15, 149, 'FE', 1, 0],
  ['Cable ties (100)', 'steady', 3.5, 2.9, 'FX', 10, 0],
  ['Superglue 3 g', 'steady', 5, 2.2, 'FX', 12, 24],
  ['Robot lawn mower', 'growing', 0.2, 599, 'FE', 1, 0],
];

/** A home-and-garden week: quiet early in the week, busy on Saturday. Index 0 = Sunday. */
const WEEKDAY_SHAPE = [1.2, 0.8, 0.8, 0.85, 0.95, 1.1, 1.5];

export function demoCatalog(seed: number): DemoItem[] {
  const rand = streamFor(seed, 0xca7a);
  return ITEMS.map(([name, pattern, baseDaily, unitCost, supplierCode, packSize, moq], i) => {
    const sku = `SKU-${String(i + 1).padStart(3, '0')}`;
    const supplier = SUPPLIERS[supplierCode];
    const jittered = WEEKDAY_SHAPE.map((w) => w * between(rand, 0.9, 1.1));
    const mean = jittered.reduce((a, b) => a + b, 0) / 7;
    // Items differ a little from the supplier's standard lead time, within 2..14 days.
    const leadTimeDays = Math.min(14, supplier.leadTimeDays + Math.floor(between(rand, 0, 2)));
    const item: DemoItem = {
      sku, name, pattern, baseDaily, unitCost, supplier, packSize, moq,
      leadTimeDays,
      leadTimeSdDays: supplier.leadTimeSdDays,
      leadTimeInMaster: sku !== SKU_WITHOUT_LEAD_TIME,
      weekly: jittered.map((w) => w / mean),
      locationFactor: { 'store-1': 1, 'store-2': Math.round(between(rand, 0.55, 0.95) * 100) / 100 },
    };
    if (sku === SKU_WITH_LOCATION_OVERRIDE) item.leadTimeOverride = { location: 'store-2', leadTimeDays: leadTimeDays + 3 };
    return item;
  });
}

export function leadTimeAt(item: DemoItem, location: string): number {
  return item.leadTimeOverride?.location === location ? item.leadTimeOverride.leadTimeDays : item.leadTimeDays;
}
