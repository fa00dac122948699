import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateScenario } from '@opsloop/policies';
import { DAYS, generateScenario, PATTERN_NAMES } from '../../../../bench/replenishment/scenarios';
import { scenarioJson } from '../../../../bench/replenishment/scenario-json';

const DIR = path.resolve(__dirname, '../../../../bench/replenishment/scenarios');

describe('shipped replenishment scenarios', () => {
  it('are one file per demand pattern the issue names', () => {
    expect(readdirSync(DIR).sort()).toEqual(PATTERN_NAMES.map((p) => `${p}.json`).sort());
    expect(PATTERN_NAMES).toEqual(['stationary', 'trend', 'weekly-season', 'yearly-season', 'intermittent', 'promotion-spikes', 'level-shift']);
  });

  it.each(PATTERN_NAMES)('%s is exactly what the seeded generator writes, and a valid scenario', (pattern) => {
    const text = readFileSync(path.join(DIR, `${pattern}.json`), 'utf8');
    expect(text).toBe(scenarioJson(generateScenario(pattern)));
    const scenario = validateScenario(JSON.parse(text));
    expect(scenario.items.length).toBeGreaterThanOrEqual(6);
    expect(scenario.items.every((i) => i.demand.length === DAYS && i.demand.every(Number.isInteger))).toBe(true);
    expect([180, 365]).toContain(scenario.warmupDays);
  });

  it('generates different demand from a different seed', () => {
    expect(generateScenario('stationary', 1).items[0]!.demand).not.toEqual(generateScenario('stationary', 2).items[0]!.demand);
  });
});
