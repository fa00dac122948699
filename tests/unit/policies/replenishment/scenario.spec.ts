import { ScenarioError, validateScenario } from '@opsloop/policies';

const valid = () => ({
  targetServiceLevel: 0.95,
  reviewPeriodDays: 7,
  warmupDays: 3,
  items: [{ sku: 'A', location: 'L1', demand: [1, 2, 3, 4, 5], leadTimeDays: 2, unitCost: 1.5, initialOnHand: 10, moq: 5, packSize: 6 }],
});

function problem(mutate: (s: ReturnType<typeof valid> & Record<string, unknown>) => void): string {
  const s = valid() as ReturnType<typeof valid> & Record<string, unknown>;
  mutate(s);
  try {
    validateScenario(s);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('scenario was accepted');
}

describe('replenishment scenario validation', () => {
  it('accepts the contract shape and keeps every field', () => {
    expect(validateScenario(valid())).toEqual(valid());
  });

  it.each<[string, (s: Record<string, unknown> & ReturnType<typeof valid>) => void, RegExp]>([
    ['a missing service level', (s) => delete (s as Partial<typeof s>).targetServiceLevel, /^targetServiceLevel: is required$/],
    ['a service level of 1', (s) => (s.targetServiceLevel = 1), /^targetServiceLevel: must be at least 0.5 and below 1, got 1$/],
    ['a fractional review period', (s) => (s.reviewPeriodDays = 2.5), /^reviewPeriodDays: must be a whole number of days, 1 or more/],
    ['a one-day warm-up', (s) => (s.warmupDays = 1), /^warmupDays: must be a whole number of days, 2 or more/],
    ['no items', (s) => (s.items = []), /^items: must be a non-empty array/],
    ['a negative demand value', (s) => (s.items[0]!.demand[2] = -1), /^items\[0\]\.demand\[2\]: must be a non-negative number, got -1$/],
    ['a text demand value', (s) => ((s.items[0]!.demand as unknown[])[4] = '7'), /^items\[0\]\.demand\[4\]: must be a non-negative number, got "7"$/],
    ['demand no longer than the warm-up', (s) => (s.items[0]!.demand = [1, 2, 3]), /^items\[0\]\.demand: has 3 days, so nothing is left after the 3 warm-up days/],
    ['a missing lead time', (s) => delete (s.items[0] as Partial<(typeof s.items)[0]>).leadTimeDays, /^items\[0\]\.leadTimeDays: is required$/],
    ['a fractional lead time', (s) => (s.items[0]!.leadTimeDays = 1.5), /^items\[0\]\.leadTimeDays: must be a whole number of days/],
    ['a negative unit cost', (s) => (s.items[0]!.unitCost = -2), /^items\[0\]\.unitCost: must be a number, 0 or more, got -2$/],
    ['a zero pack size', (s) => (s.items[0]!.packSize = 0), /^items\[0\]\.packSize: must be a number above 0, got 0$/],
    ['an empty sku', (s) => (s.items[0]!.sku = ' '), /^items\[0\]\.sku: must be a non-empty string/],
    ['a misspelt item field', (s) => ((s.items[0] as Record<string, unknown>).leadtime = 3), /^items\[0\]\.leadtime: unknown field/],
    ['a misspelt top-level field', (s) => (s.warmup = 3), /^warmup: unknown field/],
    ['a repeated sku and location', (s) => s.items.push({ ...s.items[0]! }), /^items\[1\]: repeats sku "A" at location "L1"$/],
  ])('refuses %s, naming the field', (_what, mutate, message) => {
    expect(problem(mutate)).toMatch(message);
  });

  it('refuses something that is not an object', () => {
    expect(() => validateScenario([1, 2])).toThrow(/^scenario: must be a JSON object$/);
  });
});
