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

  it('leads with the business reason: quantity, value, and how long the stock lasts against lead time plus review', () => {
    const [d] = decideReplenishment([item({ onHand: 20, onOrder: 10, backorders: 4, packSize: 12, moq: 24 })], params(), forecast).decisions;
    // Position 26 at 10/day lasts 2.6 days; an order now must cover 5 + 7 days.
    expect(d!.headline).toBe(
      'Order 120 units (240.00) because 20 on hand plus 10 on order minus 4 backordered cover 2.6 days against a lead time of 5 days plus a review period of 7 days.');
    expect(d!.explanation.startsWith(d!.headline)).toBe(true);
    expect(d!.explanation.indexOf('z is the smaller of')).toBeGreaterThan(d!.headline.length);
  });

  it('explains every number that led to the quantity after the headline', () => {
    const [d] = decideReplenishment([item({ onHand: 20, onOrder: 10, backorders: 4, packSize: 12, moq: 24 })], params(), forecast).decisions;
    const r2 = (x: number) => String(Math.round(x * 100) / 100);
    for (const part of [
      'Forecast: 120 units over lead time 5 days + review 7 days = 12 days', '10/day', 'method flat-test', '60 days of history',
      'backtest over 10 origins, MASE 0.8', `σ_H = ${r2(sigmaH)} units`, `z is the smaller of ${Math.round(z * 1000) / 1000}`,
      'fill rate 95%: at most 3.5 of the 70 units', '1.645 (95% of review periods without a stockout)', `factor 1 × z`,
      `Safety stock: ${r2(ss)} =`, `S = 120 + ${r2(ss)} = ${r2(120 + ss)}`,
      'inventory position 26 = 20 on hand + 10 on order − 4 backorders', `shortfall ${r2(120 + ss - 26)}`, 'pack 12', 'MOQ 24',
      `${d!.quantity} units × 2.00 = ${(d!.quantity * 2).toFixed(2)}`,
    ]) expect(d!.details).toContain(part);
  });

  it('says the stock outlasts the horizon but not the safety stock when only safety stock is short', () => {
    // 130 on hand last 13 days, past L + R = 12, yet below S = 120 + SS.
    const [d] = decideReplenishment([item({ onHand: 130 })], params(), forecast).decisions;
    expect(d!.headline).toMatch(/^Order \d+ units \([\d.]+\) because 130 on hand cover 13 days against a lead time of 5 days plus a review period of 7 days, but not the safety stock of [\d.]+ units on top\.$/);
  });

  it('rounds the value to the cent in text and stores it without float noise', () => {
    // 3 × 34.9 is 104.69999999999999 in binary floating point.
    const [d] = decideReplenishment([item({ unitCost: 34.9, onHand: 0 })], params(), flatForecaster(0.25, 0)).decisions;
    expect(d!.quantity).toBe(3);
    expect(d!.value).toBe(104.7);
    expect(d!.headline).toMatch(/^Order 3 units \(104\.70\) because 0 on hand cover 0 days/);
    expect(d!.explanation).not.toMatch(/\d\.\d{5,}/);
  });

  it('says "1 unit" for a single unit', () => {
    const [d] = decideReplenishment([item({ onHand: 0 })], params(), flatForecaster(0.05, 0)).decisions;
    expect(d!.quantity).toBe(1);
    expect(d!.headline).toMatch(/^Order 1 unit \(2\.00\) because/);
  });

  it('orders nothing when the inventory position is at or above the order-up-to level', () => {
    const [d] = decideReplenishment([item({ onHand: 200, moq: 50 })], params(), forecast).decisions;
    expect(d).toMatchObject({ decision: 'no-order', quantity: 0, value: 0, reason: 'inventory position at or above the order-up-to level' });
    expect(d!.headline).toBe('No order: 200 on hand reach the order-up-to level of ' + `${Math.round((120 + ss) * 100) / 100} units (demand over a lead time of 5 days plus a review period of 7 days, plus safety stock).`);
    expect(d!.details).toContain('at or above S, no order');
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
    expect(d!.explanation).toContain('and lead-time sd 2 days × 10/day');
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

  it('marks an order worth more than the threshold for approval, and leaves the wording to the engine that knows the mode', () => {
    const run = decideReplenishment([item({ sku: 'BIG', unitCost: 100 }), item({ sku: 'SMALL', unitCost: 0.5 })], params({ approvalThreshold: 1000 }), forecast);
    expect(run.decisions.map((d) => [d.sku, d.needsApproval])).toEqual([['BIG', true], ['SMALL', false]]);
    expect(run.decisions[0]!.explanation).not.toMatch(/approval/i);
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
    expect(d!.headline).toBe(`N${reason.slice(1)} (no quantity is guessed).`);
    expect(d!.details).toMatch(/^Known: lead time /);
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
    expect(c!.headline).toMatch(new RegExp(`^Order ${c!.quantity} units \\([\\d.]+\\), cut from ${unlimited[0]!.quantity} to fit the budget cap, because `));
    expect(c!.details).toContain(`, cut to ${c!.quantity} to fit the ${(cap - u!.value).toFixed(2)} left of the run's budget cap`);
    expect(run.totalValue).toBeLessThanOrEqual(cap);
  });

  it('records an order the budget cannot fund at all as not ordered, with the budget left', () => {
    const run = decideReplenishment([item({ sku: 'A', onHand: 0, unitCost: 10, moq: 100 })], params({ budgetCap: 500 }), flatForecaster(10, 3));
    expect(run.decisions[0]).toMatchObject({ decision: 'not-ordered', reason: 'not ordered: budget cap reached', quantity: 0 });
    expect(run.decisions[0]!.headline).toMatch(/^Not ordered: the run's budget cap was used up before this item, which needs 122 units \(1220\.00\) because 0 on hand cover 0 days/);
    expect(run.decisions[0]!.details).toContain('only 500.00 of the run\'s budget cap was left: nothing fits');
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
