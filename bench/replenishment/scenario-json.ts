/** Scenario files laid out for people: one line per field, each item's demand on one line. */
import type { Scenario } from '@opsloop/policies';

export function scenarioJson(scenario: Scenario): string {
  const { items, ...top } = scenario;
  const head = Object.entries(top).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = items.map((item, i) => `    ${JSON.stringify(item)}${i < items.length - 1 ? ',' : ''}`);
  return ['{', ...head, '  "items": [', ...body, '  ]', '}', ''].join('\n');
}
