/**
 * `npm run bench:replenishment:generate`: (re)writes bench/replenishment/scenarios/*.json from
 * the seeded generator. The output is byte-for-byte the same on every run.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateScenario, PATTERN_NAMES } from './scenarios';
import { scenarioJson } from './scenario-json';

export const SCENARIO_DIR = path.join(__dirname, 'scenarios');

if (require.main === module) {
  for (const pattern of PATTERN_NAMES) {
    const file = path.join(SCENARIO_DIR, `${pattern}.json`);
    writeFileSync(file, scenarioJson(generateScenario(pattern)));
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
}
