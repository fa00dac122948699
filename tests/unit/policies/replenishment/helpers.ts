/**
 * Stand-in forecasters for unit specs, injected where the shipped policy uses analytics' `auto`:
 * they make the policy's arithmetic checkable by hand. The real forecaster is exercised by the
 * simulate CLI spec and the bench.
 */
import fc from 'fast-check';
import { DemandForecaster, ReplenishmentItem, ReplenishmentParams } from '@opsloop/policies';

// The z analytics uses for its 95 % interval.
export const Z95 = 1.959963984540054;

/** Flat forecast of `daily` per day with a per-step error sd of `stepSd`. */
export function flatForecaster(daily: number, stepSd: number): DemandForecaster {
  return (req) => {
    const point = Array.from({ length: req.horizon }, () => daily);
    return {
      method: 'flat-test',
      point,
      lower: point.map((p) => Math.max(0, p - Z95 * stepSd)),
      upper: point.map((p) => p + Z95 * stepSd),
      seasonPeriod: 1,
      backtest: { mase: 0.8, origins: 10 },
      fallback: null,
    };
  };
}

/** Mean of the last 28 days, error sd from the same days: depends only on the history given. */
export const recentMeanForecaster: DemandForecaster = (req) => {
  const recent = req.values.slice(-28);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const sd = Math.sqrt(recent.reduce((a, b) => a + (b - mean) ** 2, 0) / recent.length);
  return flatForecaster(mean, sd)(req);
};

export function params(overrides: Partial<ReplenishmentParams> = {}): ReplenishmentParams {
  return { targetServiceLevel: 0.95, reviewPeriodDays: 7, serviceLevelFactor: 1, ...overrides };
}

export function item(overrides: Partial<ReplenishmentItem> = {}): ReplenishmentItem {
  return {
    sku: 'SKU-1', location: 'store-1', demandHistory: Array.from({ length: 60 }, () => 10),
    onHand: 20, onOrder: 0, backorders: 0, leadTimeDays: 5, unitCost: 2, moq: 0, packSize: 1, ...overrides,
  };
}

const amount = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });

/** Items with arbitrary stock, master data and history (all master data present). */
export const arbitraryItem: fc.Arbitrary<ReplenishmentItem> = fc.record({
  sku: fc.stringMatching(/^[A-Z]{1,3}-\d{1,3}$/),
  location: fc.constantFrom('store-1', 'store-2', 'dc'),
  demandHistory: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }),
  onHand: amount(500),
  onOrder: amount(300),
  backorders: amount(50),
  leadTimeDays: fc.integer({ min: 0, max: 30 }),
  leadTimeSdDays: fc.option(amount(5), { nil: undefined }),
  unitCost: fc.double({ min: 0.01, max: 500, noNaN: true, noDefaultInfinity: true }),
  moq: fc.integer({ min: 0, max: 100 }),
  packSize: fc.constantFrom(1, 2, 6, 12, 24, 0.5),
});
