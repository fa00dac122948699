import fc from 'fast-check';
import {
  DemandForecaster, ItemView, Scenario, ScenarioItem, simulatePolicy, SimulatedPolicy, simulateReplenishment, simulateScenario, staticMinMaxLevels,
  staticMinMaxPolicy, TraceRow,
} from '@opsloop/policies';
import { flatForecaster, recentMeanForecaster } from './helpers';

const scenarioItem = (overrides: Partial<ScenarioItem> = {}): ScenarioItem => ({
  sku: 'A', location: 'L1', demand: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], leadTimeDays: 2, unitCost: 3, initialOnHand: 12, ...overrides,
});

/** Orders `plan[day]` of every item on the days it names; records what it was shown. */
function scripted(plan: Record<number, number> = {}): SimulatedPolicy & { seen: Array<{ day: number; views: ItemView[] }> } {
  const seen: Array<{ day: number; views: ItemView[] }> = [];
  return {
    name: 'scripted',
    seen,
    decide(day, views) {
      seen.push({ day, views: views.map((v) => ({ ...v, history: [...v.history] })) });
      return views.map(() => plan[day] ?? 0);
    },
  };
}

function traced(items: ScenarioItem[], policy: SimulatedPolicy, warmupDays: number, reviewPeriodDays: number) {
  const rows: TraceRow[] = [];
  const totals = simulatePolicy(items, { warmupDays, reviewPeriodDays }, policy, (r) => rows.push(r));
  return { rows, totals };
}

describe('replenishment simulator: time and stock', () => {
  it('starts on day warmupDays with initialOnHand and moves no stock during the warm-up', () => {
    const item = scenarioItem({ demand: [100, 100, 100, 4, 4, 4], initialOnHand: 10 });
    const policy = scripted({ 0: 50, 1: 50, 2: 50 });
    const { rows, totals } = traced([item], policy, 3, 1);
    expect(policy.seen.map((s) => s.day)).toEqual([3, 4, 5]);
    expect(rows.map((r) => r.day)).toEqual([3, 4, 5]);
    expect(rows[0]).toMatchObject({ onHandStart: 10, receipts: 0, demand: 4, sales: 4, lost: 0 });
    expect(totals[0]).toMatchObject({ days: 3, demand: 12, sales: 10, lost: 2, orders: 0 });
  });

  it('decides every review period from day warmupDays, showing only the demand before that day', () => {
    const demand = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const policy = scripted();
    traced([scenarioItem({ demand })], policy, 4, 3);
    expect(policy.seen.map((s) => s.day)).toEqual([4, 7, 10]);
    for (const { day, views } of policy.seen) expect(views[0]!.history).toEqual(demand.slice(0, day));
  });

  it('delivers an order placed on day t at the start of day t + leadTimeDays, before that day\'s demand', () => {
    const { rows } = traced([scenarioItem({ leadTimeDays: 3, initialOnHand: 12 })], scripted({ 2: 20 }), 2, 100);
    expect(rows.map((r) => [r.day, r.onHandStart, r.receipts, r.orderQty, r.sales, r.lost])).toEqual([
      [2, 12, 0, 20, 5, 0],
      [3, 7, 0, 0, 5, 0],
      [4, 2, 0, 0, 2, 3],
      [5, 0, 20, 0, 5, 0],
      [6, 15, 0, 0, 5, 0],
      [7, 10, 0, 0, 5, 0],
      [8, 5, 0, 0, 5, 0],
      [9, 0, 0, 0, 0, 5],
    ]);
  });

  it('delivers a zero-lead-time order the same day, before the demand', () => {
    const { rows } = traced([scenarioItem({ leadTimeDays: 0, initialOnHand: 0 })], scripted({ 2: 8 }), 2, 100);
    expect(rows[0]).toMatchObject({ day: 2, onHandStart: 0, receipts: 8, orderQty: 8, sales: 5, lost: 0 });
  });

  it('shows the policy what is on order until it arrives', () => {
    const policy = scripted({ 2: 30 });
    traced([scenarioItem({ leadTimeDays: 4, initialOnHand: 50 })], policy, 2, 2);
    expect(policy.seen.map((s) => [s.day, s.views[0]!.onOrder])).toEqual([[2, 0], [4, 30], [6, 0], [8, 0]]);
  });

  it('gives the policy a private copy of the past: scribbling on it changes nothing', () => {
    const item = scenarioItem();
    const vandal: SimulatedPolicy = { name: 'vandal', decide: (_d, views) => views.map((v) => (v.history.fill(999), 0)) };
    const { rows } = traced([item], vandal, 2, 1);
    expect(rows.every((r) => r.demand === 5)).toBe(true);
    expect(item.demand).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
  });
});

const smallScenario: fc.Arbitrary<Scenario> = fc.record({
  targetServiceLevel: fc.constantFrom(0.9, 0.95, 0.99),
  reviewPeriodDays: fc.integer({ min: 1, max: 5 }),
  warmupDays: fc.integer({ min: 5, max: 15 }),
  items: fc.array(fc.record({
    sku: fc.constantFrom('A', 'B', 'C', 'D'), location: fc.constant('L'),
    demand: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 30, maxLength: 40 }),
    leadTimeDays: fc.integer({ min: 0, max: 6 }), unitCost: fc.constantFrom(1, 2.5, 10),
    initialOnHand: fc.integer({ min: 0, max: 60 }), packSize: fc.constantFrom(1, 4), moq: fc.constantFrom(0, 10),
  }), { minLength: 1, maxLength: 3 }).map((items) => items.map((it, i) => ({ ...it, sku: `${it.sku}${i}` }))),
});

function traceOf(scenario: Scenario): TraceRow[] {
  const rows: TraceRow[] = [];
  simulateScenario(scenario, { forecast: recentMeanForecaster, onTrace: (r) => rows.push(r) });
  return rows;
}

describe('replenishment simulator: no look-ahead', () => {
  it('never changes a day before t, nor the decision on t, when demand from day t on changes (both policies)', () => {
    fc.assert(fc.property(smallScenario, fc.nat(), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 40, maxLength: 40 }), (scenario, at, noise) => {
      const t = scenario.warmupDays + (at % 20);
      const changed: Scenario = { ...scenario, items: scenario.items.map((it) => ({ ...it, demand: it.demand.map((d, day) => (day >= t ? noise[day]! : d)) })) };
      const before = traceOf(scenario);
      const after = traceOf(changed);
      const key = (r: TraceRow) => `${r.policy}/${r.sku}/${r.day}`;
      const afterByKey = new Map(after.map((r) => [key(r), r]));
      for (const row of before.filter((r) => r.day < t)) expect(afterByKey.get(key(row))).toEqual(row);
      for (const row of before.filter((r) => r.day === t)) expect(afterByKey.get(key(row))!.orderQty).toBe(row.orderQty);
    }), { numRuns: 40 });
  });
});

describe('static-minmax baseline', () => {
  it('sets min = mean·L + 1.65·sd·√L and max = min + mean·R from the warm-up only', () => {
    const warmup = [2, 4, 4, 4, 5, 5, 7, 9];
    const sd = Math.sqrt(32 / 7);
    const { min, max } = staticMinMaxLevels(warmup, 4, 7);
    expect(min).toBeCloseTo(5 * 4 + 1.65 * sd * 2, 10);
    expect(max).toBeCloseTo(min + 5 * 7, 10);
  });

  it('orders up to max, in whole packs, when the position is at or below min, and never updates its levels', () => {
    const policy = staticMinMaxPolicy(4, 7);
    const view = (onHand: number, history: number[]): ItemView =>
      ({ sku: 'A', location: 'L', leadTimeDays: 1, unitCost: 1, moq: 0, packSize: 5, history, sales: [], onHand, onOrder: 0 });
    // Warm-up of 10s: sd 0, min 10, max 80.
    expect(policy.decide(4, [view(10, [10, 10, 10, 10])])).toEqual([70]);
    expect(policy.decide(11, [view(11, [10, 10, 10, 10, 500, 500, 500, 500, 500, 500, 500])])).toEqual([0]);
    expect(policy.decide(18, [view(9, [10, 10, 10, 10, ...Array(14).fill(500)])])).toEqual([75]);
  });
});

describe('simulation summary', () => {
  it('prints both policies with the contract fields; opsloop serves perfectly known demand in full', () => {
    const scenario: Scenario = { targetServiceLevel: 0.95, reviewPeriodDays: 7, warmupDays: 14, items: [scenarioItem({ demand: Array(60).fill(5), initialOnHand: 40 })] };
    const { policies } = simulateReplenishment(scenario, { forecast: recentMeanForecaster });
    expect(policies.map((p) => p.name)).toEqual(['opsloop', 'static-minmax']);
    for (const p of policies) {
      expect(Object.keys(p)).toEqual(['name', 'fillRate', 'stockoutDays', 'lostUnits', 'avgOnHandUnits', 'avgOnHandValue', 'orders', 'orderedUnits']);
      expect(p.avgOnHandValue).toBeCloseTo(p.avgOnHandUnits * 3, 3);
    }
    expect(policies[0]).toMatchObject({ fillRate: 1, stockoutDays: 0, lostUnits: 0 });
  });

  it('weighs the fill rate by units and counts stockout days per item', () => {
    const big = scenarioItem({ sku: 'BIG', demand: [0, 0, 90, 90], initialOnHand: 180, leadTimeDays: 5 });
    const small = scenarioItem({ sku: 'SMALL', demand: [0, 0, 10, 10], initialOnHand: 0, leadTimeDays: 5 });
    const scenario: Scenario = { targetServiceLevel: 0.95, reviewPeriodDays: 7, warmupDays: 2, items: [big, small] };
    const baseline = simulateReplenishment(scenario, { forecast: recentMeanForecaster }).policies[1]!;
    // 180 of 200 units served: 0.9, not the 0.5 an average of per-item rates would give.
    expect(baseline).toMatchObject({ fillRate: 0.9, stockoutDays: 2, lostUnits: 20, avgOnHandUnits: 45, avgOnHandValue: 135 });
  });
});

describe('opsloop in the simulator: outcome and tune step', () => {
  // A forecaster that sees half the real demand: opsloop runs short until the factor rises.
  const halfSighted: DemandForecaster = (req) => flatForecaster((recentMeanForecaster(req).point[0] ?? 0) / 2, 1)(req);
  const scenario: Scenario = {
    targetServiceLevel: 0.95, reviewPeriodDays: 7, warmupDays: 28,
    items: [scenarioItem({ demand: Array.from({ length: 200 }, (_, t) => 8 + (t % 5)), leadTimeDays: 3, initialOnHand: 60 })],
  };

  it('raises the service-level factor when the fill rate stays below target, once four outcome windows have closed', () => {
    const moves: Array<{ day: number; from: number; to: number }> = [];
    simulateScenario(scenario, { forecast: halfSighted, onTune: (day, p) => moves.push({ day, from: p.from, to: p.to }) });
    // Decisions on days 28, 35, 42, 49 are judged on [t+3, t+10); the last closes on day 59,
    // and the first review day after that is 63.
    expect(moves[0]).toEqual({ day: 63, from: 1, to: 1.1 });
    expect(moves.every((m) => m.to > m.from)).toBe(true);
  });

  it('keeps the starting factor when the tune step is switched off', () => {
    const moves: number[] = [];
    simulateScenario(scenario, { forecast: halfSighted, tuning: null, onTune: (day) => moves.push(day) });
    expect(moves).toEqual([]);
  });
});
