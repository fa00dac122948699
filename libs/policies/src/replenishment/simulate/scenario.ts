/**
 * The replenishment simulation scenario (DESIGN contract 4) and its validation: anything that is
 * not exactly the contract's shape is refused with the path of the first offending field.
 */
export interface ScenarioItem {
  sku: string;
  location: string;
  /** Daily demand, day 0 first; the first warmupDays entries are history only. */
  demand: number[];
  leadTimeDays: number;
  unitCost: number;
  initialOnHand: number;
  moq?: number;
  packSize?: number;
}

export interface Scenario {
  targetServiceLevel: number;
  reviewPeriodDays: number;
  warmupDays: number;
  items: ScenarioItem[];
  /** Free text for people reading the file; ignored by the simulation. */
  name?: string;
  description?: string;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
  }
}

const TOP_FIELDS = ['targetServiceLevel', 'reviewPeriodDays', 'warmupDays', 'items', 'name', 'description'];
const ITEM_FIELDS = ['sku', 'location', 'demand', 'leadTimeDays', 'unitCost', 'initialOnHand', 'moq', 'packSize'];

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function rejectUnknown(obj: Record<string, unknown>, allowed: readonly string[], at: string): void {
  const extra = Object.keys(obj).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new ScenarioError(`${at}${extra}`, `unknown field (allowed: ${allowed.join(', ')})`);
}

function requireNumber(obj: Record<string, unknown>, key: string, at: string, rule: (x: number) => boolean, ruleText: string): number {
  const v = obj[key];
  if (v === undefined) throw new ScenarioError(`${at}${key}`, 'is required');
  if (!isNumber(v) || !rule(v)) throw new ScenarioError(`${at}${key}`, `must be ${ruleText}, got ${JSON.stringify(v)}`);
  return v;
}

function optionalNumber(obj: Record<string, unknown>, key: string, at: string, rule: (x: number) => boolean, ruleText: string): number | undefined {
  return obj[key] === undefined ? undefined : requireNumber(obj, key, at, rule, ruleText);
}

function requireText(obj: Record<string, unknown>, key: string, at: string): string {
  const v = obj[key];
  if (v === undefined) throw new ScenarioError(`${at}${key}`, 'is required');
  if (typeof v !== 'string' || v.trim() === '') throw new ScenarioError(`${at}${key}`, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

const nonNegative = (x: number) => x >= 0;
const wholeNonNegative = (x: number) => Number.isInteger(x) && x >= 0;

function validateDemand(raw: unknown, at: string, warmupDays: number): number[] {
  if (raw === undefined) throw new ScenarioError(`${at}demand`, 'is required');
  if (!Array.isArray(raw)) throw new ScenarioError(`${at}demand`, 'must be an array of daily demand');
  raw.forEach((v, day) => {
    if (!isNumber(v) || v < 0) throw new ScenarioError(`${at}demand[${day}]`, `must be a non-negative number, got ${JSON.stringify(v)}`);
  });
  if (raw.length <= warmupDays) {
    throw new ScenarioError(`${at}demand`, `has ${raw.length} days, so nothing is left after the ${warmupDays} warm-up days (warmupDays)`);
  }
  return raw as number[];
}

function validateItem(raw: unknown, index: number, warmupDays: number): ScenarioItem {
  const at = `items[${index}].`;
  if (!isObject(raw)) throw new ScenarioError(`items[${index}]`, 'must be an object');
  rejectUnknown(raw, ITEM_FIELDS, at);
  const item: ScenarioItem = {
    sku: requireText(raw, 'sku', at),
    location: requireText(raw, 'location', at),
    demand: validateDemand(raw.demand, at, warmupDays),
    leadTimeDays: requireNumber(raw, 'leadTimeDays', at, wholeNonNegative, 'a whole number of days, 0 or more'),
    unitCost: requireNumber(raw, 'unitCost', at, nonNegative, 'a number, 0 or more'),
    initialOnHand: requireNumber(raw, 'initialOnHand', at, nonNegative, 'a number, 0 or more'),
  };
  const moq = optionalNumber(raw, 'moq', at, nonNegative, 'a number, 0 or more');
  const packSize = optionalNumber(raw, 'packSize', at, (x) => x > 0, 'a number above 0');
  if (moq !== undefined) item.moq = moq;
  if (packSize !== undefined) item.packSize = packSize;
  return item;
}

/** The scenario, typed, or a ScenarioError naming the field. */
export function validateScenario(raw: unknown): Scenario {
  if (!isObject(raw)) throw new ScenarioError('scenario', 'must be a JSON object');
  rejectUnknown(raw, TOP_FIELDS, '');
  const scenario: Scenario = {
    targetServiceLevel: requireNumber(raw, 'targetServiceLevel', '', (x) => x >= 0.5 && x < 1, 'at least 0.5 and below 1'),
    reviewPeriodDays: requireNumber(raw, 'reviewPeriodDays', '', (x) => Number.isInteger(x) && x >= 1, 'a whole number of days, 1 or more'),
    // The baseline needs a mean and a standard deviation of the warm-up demand.
    warmupDays: requireNumber(raw, 'warmupDays', '', (x) => Number.isInteger(x) && x >= 2, 'a whole number of days, 2 or more'),
    items: [],
  };
  for (const key of ['name', 'description'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') throw new ScenarioError(key, 'must be a string');
    if (typeof raw[key] === 'string') scenario[key] = raw[key];
  }
  if (!Array.isArray(raw.items) || raw.items.length === 0) throw new ScenarioError('items', 'must be a non-empty array of items');
  const seen = new Set<string>();
  raw.items.forEach((rawItem, i) => {
    const item = validateItem(rawItem, i, scenario.warmupDays);
    const key = `${item.sku}\u0000${item.location}`;
    if (seen.has(key)) throw new ScenarioError(`items[${i}]`, `repeats sku "${item.sku}" at location "${item.location}"`);
    seen.add(key);
    scenario.items.push(item);
  });
  return scenario;
}
