import fc from 'fast-check';
import { decideReplenishment, DemandForecaster, inverseNormal, inverseNormalLoss, ReplenishmentItem } from '@opsloop/policies';
import { arbitraryItem, flatForecaster, item, params } from './helpers';

describe('replenishment@1 order-up-to decision', () => {
  // 10/day, per-step error sd 8, L 5 + R 7 = 12 days: σ_H = √12·8; at most 5 % of a review
  // period's 70 units may go short.
  const forecast = flatForecaster(10, 8);
  const sigmaH = Math.sqrt(12) * 8;
  const z = inverseNormalLoss((0.05 * 70) / sigmaH);
  const ss = z * sigmaH;

  it('orders the gap between the order-up-to level and the inventory position, rounded up to packs', () => {
    const run = decideReplenishment([item({ onHand: 20, onOrder: 10, backorders: 4, packSize: 12 })], params(), forecast);
    const [d] = run.decisions;
    const orderUpTo = 120 + ss;
    const quantity = Math.ceil((orderUpTo - 26) / 12) * 12;
    expect(d).toMatchObject({ decision: 'order', reason: 'below the order-up-to level', quantity, value: quantity * 2, needsApproval: false });
    expect(d!.inputs).toMatchObject({ inventoryPosition: 26, horizonDays: 12, forecastOverHorizon: 120, dailyDemand: 10, forecastMethod: 'flat-test' });
    expect(d!.inputs.safetyStock).toBeCloseTo(ss, 9);
    expect(d!.inputs.orderUpTo).toBeCloseTo(orderUpTo, 9);
    expect(run).toMatchObject({ policyVersion: 'replenishment@1', totalValue: quantity * 2 });
  });

  it('explains every number that led to the quantity', () => {
    const [d] = decideReplenishment([item({ onHand: 20, onOrder: 10, backorders: 4, packSize: 12, moq: 24 })], params(), forecast).decisions;
    const r2 = (x: number) => String(Math.round(x * 100) / 100);
    for (const part of [
      'SKU-1 @ store-1', 'lead time 5 d + review 7 d = 12 d', 'is 120 units', '10/day', 'method flat-test', '60 days of history',
      `σ_H = ${r2(sigmaH)} units`, `z = ${Math.round(z * 1000) / 1000}, the smaller of`, 'fill rate 95%: at most 3.5 of the 70 units',
      '1.645 (95% of review periods without a stockout)', `factor 1 × z`, `= ${r2(ss)}`, `S = 120 + ${r2(ss)} = ${r2(120 + ss)}`,
      'inventory position 26 = 20 on hand + 10 on order − 4 backorders', `shortfall ${r2(120 + ss - 26)}`, 'pack 12', 'MOQ 24',
      `order ${d!.quantity} units × 2 = ${d!.quantity * 2}`,
    ]) expect(d!.explanation).toContain(part);
  });

  it('orders nothing when the inventory position is at or above the order-up-to level', () => {
    const [d] = decideReplenishment([item({ onHand: 200, moq: 50 })], params(), forecast).decisions;
    expect(d).toMatchObject({ decision: 'no-order', quantity: 0, value: 0, reason: 'inventory position at or above the order-up-to level' });
    expect(d!.explanation).toContain('the position is at or above S: no order');
  });

  it('never orders at or above the order-up-to level, and otherwise covers the gap in whole packs and at least the MOQ', () => {
    fc.assert(fc.property(arbitraryItem, fc.double({ min: 0, max: 40, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (it, daily, sd) => {
      const [d] = decideReplenishment([it], params(), flatForecaster(daily, sd)).decisions;
      const { inventoryPosition, orderUpTo } = d!.inputs;
      if (inventoryPosition >= orderUpTo! - 1e-9) {
        expect(d!.decision).toBe('no-order');
        expect(d!.quantity).toBe(0);
        return;
      }
      expect(d!.decision).toBe('order');
      expect(d!.quantity).toBeGreaterThanOrEqual(orderUpTo! - inventoryPosition - 1e-6);
      expect(d!.quantity).toBeGreaterThanOrEqual(it.moq!);
      const packs = d!.quantity / it.packSize!;
      expect(Math.abs(packs - Math.round(packs))).toBeLessThan(1e-6);
    }));
  });

  it('never gives lower safety stock for a higher service level or factor', () => {
    const level = fc.integer({ min: 5000, max: 9999 }).map((bp) => bp / 10000);
    const factor = fc.integer({ min: 50, max: 200 }).map((x) => x / 100);
    fc.assert(fc.property(arbitraryItem, level, level, factor, factor, fc.double({ min: 0, max: 30, noNaN: true }), (it, a, b, fa, fb, sd) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const [flo, fhi] = fa <= fb ? [fa, fb] : [fb, fa];
      const ssAt = (targetServiceLevel: number, serviceLevelFactor: number) =>
        decideReplenishment([it], params({ targetServiceLevel, serviceLevelFactor }), flatForecaster(8, sd)).decisions[0]!.inputs.safetyStock!;
      expect(ssAt(lo, flo)).toBeLessThanOrEqual(ssAt(hi, flo));
      expect(ssAt(lo, flo)).toBeLessThanOrEqual(ssAt(lo, fhi));
    }));
  });

  it('adds lead-time variability: d²·σ_L² under the square root', () => {
    const [d] = decideReplenishment([item({ leadTimeSdDays: 2 })], params(), forecast).decisions;
    const sigma = Math.sqrt(sigmaH ** 2 + (10 * 2) ** 2);
    expect(d!.inputs.protectionSd).toBeCloseTo(sigma, 9);
    expect(d!.inputs.safetyStock).toBeCloseTo(inverseNormalLoss((0.05 * 70) / sigma) * sigma, 9);
    expect(d!.inputs.safetyStock).toBeGreaterThan(ss);
    expect(d!.explanation).toContain('and lead-time sd 2 d × 10/day');
  });

  it('stocks a slow mover for a stockout-free review period at the target rate, not for every last unit', () => {
    const [d] = decideReplenishment([item({ demandHistory: [0, 1, 0, 0] })], params(), flatForecaster(0.1, 1)).decisions;
    expect(d!.inputs.zFillRate).toBeGreaterThan(inverseNormal(0.95));
    expect(d!.inputs.z).toBe(inverseNormal(0.95));
  });

  it('scales the safety stock by the tuned service-level factor', () => {
    const ssAt = (serviceLevelFactor: number) => decideReplenishment([item()], params({ serviceLevelFactor }), forecast).decisions[0]!.inputs.safetyStock!;
    expect(ssAt(1.5)).toBeCloseTo(1.5 * ss, 9);
    expect(ssAt(0.5)).toBeCloseTo(0.5 * ss, 9);
  });

  it('never lets a forecast below zero lower the demand over the horizon', () => {
    const dipping: DemandForecaster = (req) => ({ ...flatForecaster(0, 1)(req), point: Array.from({ length: req.horizon }, (_, h) => (h < 6 ? -5 : 4)) });
    const [d] = decideReplenishment([item()], params(), dipping).decisions;
    expect(d!.inputs.forecastOverHorizon).toBe(24);
  });

  it('asks for approval when an order is worth more than the threshold', () => {
    const run = decideReplenishment([item({ sku: 'BIG', unitCost: 100 }), item({ sku: 'SMALL', unitCost: 0.5 })], params({ approvalThreshold: 1000 }), forecast);
    expect(run.decisions.map((d) => [d.sku, d.needsApproval])).toEqual([['BIG', true], ['SMALL', false]]);
    expect(run.decisions[0]!.explanation).toMatch(/Needs approval: value [\d.]+ is above the threshold 1000\.$/);
  });
});

describe('replenishment@1 missing master data', () => {
  const neverCalled: DemandForecaster = () => {
    throw new Error('the forecast must not run for an item that cannot be ordered');
  };

  it.each<[string, Partial<ReplenishmentItem>, string]>([
    ['lead time', { leadTimeDays: null }, 'not ordered: missing lead time'],
    ['unit cost', { unitCost: undefined }, 'not ordered: missing unit cost'],
    ['lead time and unit cost', { leadTimeDays: undefined, unitCost: null }, 'not ordered: missing lead time and unit cost'],
    ['a usable lead time', { leadTimeDays: -2 }, 'not ordered: invalid lead time -2'],
  ])('skips an item without %s, with that reason and no guessed quantity', (_what, overrides, reason) => {
    const [d] = decideReplenishment([item(overrides)], params(), neverCalled).decisions;
    expect(d).toMatchObject({ decision: 'not-ordered', reason, quantity: 0, value: 0, needsApproval: false });
    expect(d!.explanation).toContain(`${reason} (no quantity is guessed)`);
    expect(d!.inputs.forecastOverHorizon).toBeNull();
  });

  it('still decides the other items of the run', () => {
    const run = decideReplenishment([item({ sku: 'NO-LT', leadTimeDays: null }), item({ sku: 'OK' })], params(), flatForecaster(10, 3));
    expect(run.decisions.map((d) => [d.sku, d.decision])).toEqual([['NO-LT', 'not-ordered'], ['OK', 'order']]);
  });

  it('records a forecast failure as not ordered instead of failing the run', () => {
    const failing: DemandForecaster = () => {
      throw new Error('values[3]: must be a finite number');
    };
    const [d] = decideReplenishment([item()], params(), failing).decisions;
    expect(d).toMatchObject({ decision: 'not-ordered', reason: 'not ordered: forecast failed: values[3]: must be a finite number' });
  });

  it('skips an item with no demand history at all', () => {
    const [d] = decideReplenishment([item({ demandHistory: [] })], params(), neverCalled).decisions;
    expect(d!.reason).toBe('not ordered: no demand history');
  });
});

describe('replenishment@1 budget cap', () => {
  it('funds the item closest to running out first when the budget does not cover both', () => {
    const urgent = item({ sku: 'URGENT', onHand: 5, unitCost: 10 });
    const calm = item({ sku: 'CALM', onHand: 90, unitCost: 10 });
    const unlimited = decideReplenishment([calm, urgent], params(), flatForecaster(10, 3)).decisions;
    // Enough for the urgent order and a part of the calm one.
    const cap = unlimited[1]!.value + unlimited[0]!.value / 2;
    const run = decideReplenishment([calm, urgent], params({ budgetCap: cap }), flatForecaster(10, 3));
    const [c, u] = run.decisions;
    expect(u).toMatchObject({ decision: 'order', reason: 'below the order-up-to level', quantity: unlimited[1]!.quantity });
    expect(c).toMatchObject({ decision: 'order', reason: 'below the order-up-to level; cut to fit the budget cap' });
    expect(c!.quantity).toBe(Math.floor((cap - u!.value) / 10));
    expect(c!.explanation).toContain(`, cut to ${c!.quantity} to fit the ${cap - u!.value} left of the run's budget cap`);
    expect(run.totalValue).toBeLessThanOrEqual(cap);
  });

  it('records an order the budget cannot fund at all as not ordered, with the budget left', () => {
    const run = decideReplenishment([item({ sku: 'A', onHand: 0, unitCost: 10, moq: 100 })], params({ budgetCap: 500 }), flatForecaster(10, 3));
    expect(run.decisions[0]).toMatchObject({ decision: 'not-ordered', reason: 'not ordered: budget cap reached', quantity: 0 });
    expect(run.decisions[0]!.explanation).toContain('only 500 of the run\'s budget cap was left: nothing fits');
  });

  it('never spends more than the cap, and every funded order stays whole packs at or above the MOQ', () => {
    const items = fc.array(arbitraryItem, { minLength: 1, maxLength: 8 }).map((xs) => xs.map((x, i) => ({ ...x, sku: `S${i}` })));
    fc.assert(fc.property(items, fc.double({ min: 0, max: 20000, noNaN: true }), (xs, cap) => {
      const run = decideReplenishment(xs, params({ budgetCap: cap }), flatForecaster(12, 4));
      expect(run.totalValue).toBeLessThanOrEqual(cap * (1 + 1e-12));
      run.decisions.forEach((d, i) => {
        if (d.quantity === 0) return;
        expect(d.quantity).toBeGreaterThanOrEqual(xs[i]!.moq!);
        const packs = d.quantity / xs[i]!.packSize!;
        expect(Math.abs(packs - Math.round(packs))).toBeLessThan(1e-6);
        expect(d.quantity).toBeLessThanOrEqual(d.inputs.roundedQuantity!);
      });
    }));
  });
});

describe('replenishment@1 params', () => {
  it('refuses a service level outside [0.5, 1) and a non-positive factor or review period, naming the field', () => {
    expect(() => decideReplenishment([], params({ targetServiceLevel: 1 }), flatForecaster(1, 1))).toThrow(/targetServiceLevel/);
    expect(() => decideReplenishment([], params({ serviceLevelFactor: 0 }), flatForecaster(1, 1))).toThrow(/serviceLevelFactor/);
    expect(() => decideReplenishment([], params({ reviewPeriodDays: 0 }), flatForecaster(1, 1))).toThrow(/reviewPeriodDays/);
  });
});
