/**
 * The demo shop `npm start` loads: two years of daily demand and closing stock for 50 items in 2
 * stores, purchase-order lines and an item master, all valid for the replenishment sources'
 * schemas, the same on every machine, with stock that follows from demand and deliveries.
 */
import { RowValidator, TypedValue } from '@opsloop/domain';
import { SKU_WITHOUT_LEAD_TIME } from '../../../apps/cli/src/start/demo/demo-catalog';
import {
  dayOf, DemandRow, demandRows, DemoDataset, firstHistoryDay, isoDay, itemMasterRows, onHandRows, purchaseOrderRows, simulateDemo,
} from '../../../apps/cli/src/start/demo/demo-data';
import { DEMO_SOURCE_ROLES, demoSourceBodies } from '../../../apps/cli/src/start/demo/demo-definitions';
import { DAY_MS, SIMULATION_START_DAY } from '../../../apps/cli/src/start/demo/demo-history';

const LAST_DAY = dayOf(new Date('2026-12-02T00:00:00Z'));
const FIRST_DAY = firstHistoryDay(LAST_DAY);

describe('demo shop data', () => {
  let ds: DemoDataset;
  let demand: DemandRow[];
  beforeAll(() => {
    ds = simulateDemo(LAST_DAY);
    demand = demandRows(ds, FIRST_DAY, LAST_DAY);
  });

  const seriesOf = (sku: string, location: string) => ds.series.find((s) => s.item.sku === sku && s.location === location)!;
  const indexOf = (day: number) => day - SIMULATION_START_DAY;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  /** Demand of one series on the window's days that satisfy `keep`. */
  const windowDemand = (sku: string, location: string, keep: (day: number) => boolean) => {
    const s = seriesOf(sku, location);
    const out: number[] = [];
    for (let day = FIRST_DAY; day <= LAST_DAY; day++) if (keep(day)) out.push(s.demand[indexOf(day)]);
    return out;
  };
  const month = (day: number) => new Date(day * DAY_MS).getUTCMonth();

  it('covers 50 items in 2 stores for the 730 days ending on the newest day, one row per item, store and day', () => {
    expect(LAST_DAY - FIRST_DAY + 1).toBe(730);
    expect(demand).toHaveLength(50 * 2 * 730);
    expect(onHandRows(ds, FIRST_DAY, LAST_DAY)).toHaveLength(50 * 2 * 730);
    expect(new Set(demand.map((r) => `${r.sku}|${r.location}|${r.ts}`)).size).toBe(demand.length);
    expect(demand[0].ts).toBe('2024-12-03T00:00:00.000Z');
    expect(demand[demand.length - 1].ts).toBe('2026-12-02T00:00:00.000Z');
    expect(new Set(demand.map((r) => r.location))).toEqual(new Set(['store-1', 'store-2']));
    expect(new Set(demand.map((r) => r.sku)).size).toBe(50);
  });

  it('gives rows every one of which the replenishment source schemas accept, with whole non-negative quantities', () => {
    const bodies = demoSourceBodies('demo shop');
    const rowsByRole = {
      demand,
      onHand: onHandRows(ds, FIRST_DAY, LAST_DAY),
      openOrders: purchaseOrderRows(ds, FIRST_DAY),
      itemMaster: itemMasterRows(ds),
    };
    for (const role of DEMO_SOURCE_ROLES) {
      const validator = new RowValidator(bodies[role].schema);
      const out: TypedValue[] = [];
      const problems = rowsByRole[role].flatMap((r, i) => validator.typeRow(r as unknown as Record<string, unknown>, i + 1, out) ?? []);
      expect({ role, problems: problems.slice(0, 3) }).toEqual({ role, problems: [] });
    }
    expect(demand.every((r) => Number.isInteger(r.qty) && r.qty >= 0)).toBe(true);
    expect(rowsByRole.onHand.every((r) => Number.isInteger(r.onHand) && r.onHand >= 0)).toBe(true);
  });

  it('is the same on every call, and a later newest day keeps every earlier day unchanged', () => {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b); // toEqual on 73k rows is slow
    expect(same(demandRows(simulateDemo(LAST_DAY), FIRST_DAY, LAST_DAY), demand)).toBe(true);
    const later = simulateDemo(LAST_DAY + 9);
    expect(same(demandRows(later, FIRST_DAY, LAST_DAY), demand)).toBe(true);
    expect(same(onHandRows(later, FIRST_DAY, LAST_DAY), onHandRows(ds, FIRST_DAY, LAST_DAY))).toBe(true);
    expect(demandRows(later, LAST_DAY + 1, LAST_DAY + 9)).toHaveLength(9 * 100);
    expect(same(demandRows(simulateDemo(LAST_DAY, 7), FIRST_DAY, LAST_DAY), demand)).toBe(false);
  });

  it('closes each day with the stock left after deliveries and demand, losing what the shelf cannot cover', () => {
    let lostDays = 0;
    const mismatches: string[] = [];
    for (const s of ds.series) {
      const received = new Map<number, number>();
      for (const l of s.orders) if (!l.cancelled) received.set(l.arrivalDay, (received.get(l.arrivalDay) ?? 0) + l.quantity);
      for (let i = 1; i < s.demand.length; i++) {
        const available = s.onHand[i - 1] + (received.get(SIMULATION_START_DAY + i) ?? 0);
        if (s.onHand[i] !== Math.max(0, available - s.demand[i])) mismatches.push(`${s.item.sku}@${s.location} ${isoDay(SIMULATION_START_DAY + i)}`);
        if (s.demand[i] > available) lostDays += 1;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(lostDays).toBeGreaterThan(0);
  });

  it('keeps a plausible shop: most demand served, stock-outs on a few percent of days, nobody sitting on a year of stock', () => {
    let wanted = 0;
    let sold = 0;
    let emptyDays = 0;
    for (const s of ds.series) {
      const received = new Map<number, number>();
      for (const l of s.orders) if (!l.cancelled) received.set(l.arrivalDay, (received.get(l.arrivalDay) ?? 0) + l.quantity);
      for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
        const i = indexOf(day);
        wanted += s.demand[i];
        sold += s.onHand[i - 1] + (received.get(day) ?? 0) - s.onHand[i];
        if (s.onHand[i] === 0) emptyDays += 1;
      }
      const stock = s.onHand[indexOf(LAST_DAY)];
      const lastYear = s.demand.slice(indexOf(LAST_DAY) - 364, indexOf(LAST_DAY) + 1).reduce((a, b) => a + b, 0);
      expect({ series: `${s.item.sku}@${s.location}`, overAYear: stock > lastYear + 10 }).toEqual({ series: `${s.item.sku}@${s.location}`, overAYear: false });
    }
    expect(sold / wanted).toBeGreaterThan(0.93);
    expect(sold / wanted).toBeLessThan(0.995);
    const emptyShare = emptyDays / (ds.series.length * 730);
    expect(emptyShare).toBeGreaterThan(0.005);
    expect(emptyShare).toBeLessThan(0.06);
  });

  it('sells more on Saturdays than on Tuesdays, and seasonal items in their season', () => {
    const weekday = (day: number) => new Date(day * DAY_MS).getUTCDay();
    const saturdays = mean(ds.items.map((it) => mean(windowDemand(it.sku, 'store-1', (d) => weekday(d) === 6))));
    const tuesdays = mean(ds.items.map((it) => mean(windowDemand(it.sku, 'store-1', (d) => weekday(d) === 2))));
    expect(saturdays / tuesdays).toBeGreaterThan(1.5);

    const summer = (d: number) => [5, 6, 7].includes(month(d));
    const winter = (d: number) => [11, 0, 1].includes(month(d));
    const hose = ds.items.find((i) => i.name === 'Garden hose 15 m')!.sku;
    const shovel = ds.items.find((i) => i.name === 'Snow shovel')!.sku;
    expect(mean(windowDemand(hose, 'store-1', summer))).toBeGreaterThan(3 * mean(windowDemand(hose, 'store-1', winter)));
    expect(mean(windowDemand(shovel, 'store-2', winter))).toBeGreaterThan(3 * mean(windowDemand(shovel, 'store-2', summer)));
  });

  it('has growing, declining and intermittent items', () => {
    const firstYear = (d: number) => d < FIRST_DAY + 365;
    const secondYear = (d: number) => d >= FIRST_DAY + 365;
    const byPattern = (p: string) => ds.items.filter((i) => i.pattern === p).map((i) => i.sku);
    const bothStores = (sku: string, keep: (day: number) => boolean) =>
      mean(windowDemand(sku, 'store-1', keep)) + mean(windowDemand(sku, 'store-2', keep));
    expect(byPattern('growing').length).toBeGreaterThanOrEqual(2);
    for (const sku of byPattern('growing')) expect(bothStores(sku, secondYear)).toBeGreaterThan(1.05 * bothStores(sku, firstYear));
    for (const sku of byPattern('declining')) expect(bothStores(sku, secondYear)).toBeLessThan(0.9 * bothStores(sku, firstYear));
    const intermittent = byPattern('intermittent');
    expect(intermittent.length).toBeGreaterThanOrEqual(3);
    for (const sku of intermittent) {
      const days = windowDemand(sku, 'store-2', () => true);
      expect(days.filter((q) => q === 0).length / days.length).toBeGreaterThan(0.6);
      expect(days.some((q) => q > 0)).toBe(true);
    }
  });

  it('lists purchase-order lines: open until they arrive after the newest day, received after, a few cancelled', () => {
    const lines = purchaseOrderRows(ds, FIRST_DAY);
    const open = lines.filter((l) => l.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.status === 'cancelled')).toBe(true);
    expect(lines.filter((l) => l.status === 'received').length).toBeGreaterThan(0.9 * lines.length);
    // An open line was ordered at most a max lead time (with its spread) before the newest day.
    expect(open.every((l) => dayOf(new Date(l.ts)) > LAST_DAY - 30)).toBe(true);
    expect(new Set(lines.map((l) => `${l.poNumber}|${l.sku}|${l.location}`)).size).toBe(lines.length);

    // Each open line is stock on its way: once it has arrived it is sent again as received.
    const arrived = simulateDemo(LAST_DAY + 30);
    const later = new Map(purchaseOrderRows(arrived, FIRST_DAY).map((l) => [`${l.poNumber}|${l.sku}|${l.location}`, l.status]));
    for (const l of open) expect(later.get(`${l.poNumber}|${l.sku}|${l.location}`)).toBe('received');
  });

  it('has an item master with lead times of 2 to 14 days, costs and packs, one store override, and one item without a lead time', () => {
    const master = itemMasterRows(ds);
    const everywhere = master.filter((r) => r.location === '*');
    expect(everywhere).toHaveLength(50);
    const withoutLeadTime = master.filter((r) => r.leadTimeDays === undefined);
    expect(withoutLeadTime.map((r) => r.sku)).toEqual([SKU_WITHOUT_LEAD_TIME]);
    for (const r of master.filter((m) => m.leadTimeDays !== undefined)) {
      expect(r.leadTimeDays).toBeGreaterThanOrEqual(2);
      expect(r.leadTimeDays).toBeLessThanOrEqual(17);
      expect(r.leadTimeSdDays).toBeGreaterThan(0);
    }
    expect(everywhere.every((r) => r.leadTimeDays === undefined || r.leadTimeDays <= 14)).toBe(true);
    expect(master.every((r) => r.unitCost > 0 && r.packSize >= 1 && r.supplier.length > 0)).toBe(true);
    expect(master.some((r) => (r.moq ?? 0) > 0)).toBe(true);
    const overrides = master.filter((r) => r.location !== '*');
    expect(overrides).toHaveLength(1);
    const general = everywhere.find((r) => r.sku === overrides[0].sku)!;
    expect(overrides[0].leadTimeDays).toBeGreaterThan(general.leadTimeDays!);
    expect(new Set(master.map((r) => r.ts))).toEqual(new Set([isoDay(SIMULATION_START_DAY)]));
  });
});
