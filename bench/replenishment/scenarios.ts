/**
 * The shipped replenishment scenarios, generated from a fixed seed so anyone can regenerate the
 * exact files: seven demand patterns, six items each, two years of daily demand. Every item has
 * its own lead time, cost, pack size and MOQ, so the comparison is not tuned to one shape.
 * Daily demand is Poisson around the pattern's level with a gamma-distributed day factor (real
 * sales vary more than Poisson alone), rounded to whole units.
 */
import { seededRandom } from '@opsloop/analytics';
import type { Scenario, ScenarioItem } from '@opsloop/policies';

export const DAYS = 730;
const TARGET = 0.95;
const REVIEW = 7;

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Marsaglia–Tsang; shape ≥ 1 is all the generator uses. */
function gamma(rand: () => number, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(Math.max(rand(), 1e-12)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Knuth's product method below 30, a rounded normal above (its error is negligible there). */
export function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}

/** Demand around a level path; `dispersion` is the gamma shape (smaller = noisier days). */
function noisy(rand: () => number, levels: readonly number[], dispersion: number): number[] {
  return levels.map((l) => poisson(rand, l * (gamma(rand, dispersion) / dispersion)));
}

interface ItemShape {
  leadTimeDays: number;
  unitCost: number;
  packSize: number;
  moq: number;
  base: number;
}

/** Six item shapes reused by every pattern: slow and fast movers, short and long lead times. */
const SHAPES: readonly ItemShape[] = [
  { leadTimeDays: 2, unitCost: 1.2, packSize: 12, moq: 24, base: 40 },
  { leadTimeDays: 3, unitCost: 4.5, packSize: 6, moq: 0, base: 18 },
  { leadTimeDays: 5, unitCost: 12, packSize: 1, moq: 10, base: 9 },
  { leadTimeDays: 7, unitCost: 25, packSize: 4, moq: 0, base: 6 },
  { leadTimeDays: 10, unitCost: 80, packSize: 1, moq: 0, base: 3 },
  { leadTimeDays: 14, unitCost: 240, packSize: 1, moq: 2, base: 1.5 },
];

type LevelPath = (shape: ItemShape, index: number, rand: () => number) => number[];

const range = (n: number) => Array.from({ length: n }, (_, t) => t);

const PATTERNS: Record<string, { warmupDays: number; dispersion: number; description: string; levels: LevelPath }> = {
  stationary: {
    warmupDays: 180, dispersion: 8, description: 'constant level, noisy days',
    levels: (s) => range(DAYS).map(() => s.base),
  },
  trend: {
    warmupDays: 365, dispersion: 8, description: 'linear growth on four items (+30 % to +120 % of the first level a year), decline on two (−35 % and −45 % a year)',
    levels: (s, i) => {
      const perYear = [1.2, 0.6, 0.3, 0.8, -0.35, -0.45][i]!;
      return range(DAYS).map((t) => s.base * Math.max(0.05, 1 + (perYear * t) / 365));
    },
  },
  'weekly-season': {
    warmupDays: 180, dispersion: 10, description: 'day-of-week profile with a weekend peak, strength varying by item',
    levels: (s, i) => {
      const profile = [0.75, 0.8, 0.85, 0.95, 1.15, 1.6, 0.9];
      const strength = 0.5 + 0.2 * i;
      return range(DAYS).map((t) => s.base * (1 + strength * (profile[t % 7]! - 1)));
    },
  },
  'yearly-season': {
    warmupDays: 365, dispersion: 10, description: 'one annual cycle, amplitude ±30 % to ±60 %, peaks at different times of year',
    levels: (s, i) => {
      const amplitude = 0.3 + 0.06 * i;
      const phase = (i * 61) % 365;
      return range(DAYS).map((t) => s.base * (1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 365)));
    },
  },
  intermittent: {
    warmupDays: 365, dispersion: 4, description: 'demand on 5 % to 30 % of days, in lumps',
    levels: () => range(DAYS).map(() => 0),
  },
  'promotion-spikes': {
    warmupDays: 180, dispersion: 8, description: 'unannounced 3–7 day promotions at 2–4× demand every 4–9 weeks',
    levels: (s, _i, rand) => {
      const levels = range(DAYS).map(() => s.base);
      for (let t = Math.floor(rand() * 40); t < DAYS; t += 28 + Math.floor(rand() * 35)) {
        const lift = 2 + 2 * rand();
        const length = 3 + Math.floor(rand() * 5);
        for (let k = t; k < Math.min(DAYS, t + length); k++) levels[k] = s.base * lift;
      }
      return levels;
    },
  },
  'level-shift': {
    warmupDays: 180, dispersion: 8, description: 'one permanent step after the warm-up: up ×1.5 to ×2.5 on three items, down to ×0.4–×0.6 on three',
    levels: (s, i, rand) => {
      const factor = [1.8, 0.5, 2.5, 0.6, 1.5, 0.4][i]!;
      const at = 240 + Math.floor(rand() * 240);
      return range(DAYS).map((t) => s.base * (t >= at ? factor : 1));
    },
  },
};

export const PATTERN_NAMES = Object.keys(PATTERNS);

/** Lumpy demand: a day has demand with probability p, of 1 + Poisson(size − 1) units. */
function intermittentDemand(rand: () => number, index: number): number[] {
  const p = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3][index]!;
  const size = [8, 5, 3, 6, 2, 4][index]!;
  return range(DAYS).map(() => (rand() < p ? 1 + poisson(rand, size - 1) : 0));
}

function item(pattern: string, shape: ItemShape, index: number, rand: () => number, warmupDays: number): ScenarioItem {
  const spec = PATTERNS[pattern]!;
  const demand = pattern === 'intermittent' ? intermittentDemand(rand, index) : noisy(rand, spec.levels(shape, index, rand), spec.dispersion);
  // Both policies start from the same stock: roughly what the last warm-up month's demand
  // says a lead time plus a review period needs.
  const recent = demand.slice(warmupDays - 28, warmupDays);
  const daily = recent.reduce((a, b) => a + b, 0) / recent.length;
  const result: ScenarioItem = {
    sku: `${pattern.toUpperCase().replace(/-/g, '_')}-${index + 1}`,
    location: index % 2 === 0 ? 'store-1' : 'store-2',
    demand,
    leadTimeDays: shape.leadTimeDays,
    unitCost: shape.unitCost,
    initialOnHand: Math.round(daily * (shape.leadTimeDays + REVIEW)),
  };
  if (shape.moq > 0) result.moq = shape.moq;
  if (shape.packSize > 1) result.packSize = shape.packSize;
  return result;
}

/** The scenario of one pattern; the seed is derived from the pattern's position. */
export function generateScenario(pattern: string, seed = 20261123): Scenario {
  const spec = PATTERNS[pattern];
  if (!spec) throw new Error(`unknown pattern ${pattern}; known: ${PATTERN_NAMES.join(', ')}`);
  const rand = seededRandom(seed + 7919 * PATTERN_NAMES.indexOf(pattern));
  return {
    name: pattern,
    description: `${spec.description}; ${DAYS} days, ${spec.warmupDays} of warm-up`,
    targetServiceLevel: TARGET,
    reviewPeriodDays: REVIEW,
    warmupDays: spec.warmupDays,
    items: SHAPES.map((shape, i) => item(pattern, shape, i, rand, spec.warmupDays)),
  };
}
