/** The replenishment bench's tables and its verdict against the targets. */
import type { PolicySummary } from '@opsloop/policies';

export interface PatternRow {
  pattern: string;
  target: number;
  opsloop: PolicySummary;
  baseline: PolicySummary;
  untuned: PolicySummary;
  /** The baseline with its safety multiplier raised until it serves as well as opsloop. */
  matched: PolicySummary;
  matchedK: number | null;
  /** The service-level factor opsloop ended with (it starts at 1). */
  finalFactor: number;
}

const pct = (x: number, decimals = 2) => `${(x * 100).toFixed(decimals)} %`;
const money = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (a: PolicySummary, b: PolicySummary) => (b.avgOnHandValue > 0 ? a.avgOnHandValue / b.avgOnHandValue : Number.POSITIVE_INFINITY);

function markdown(header: string[], lines: string[][]): string {
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** The contract's comparison: opsloop against static-minmax exactly as the CLI prints them. */
export function contractTable(rows: readonly PatternRow[]): string {
  return markdown(
    ['pattern', 'fill rate opsloop', 'fill rate static', 'avg inventory value opsloop', 'static', 'opsloop / static', 'stockout days opsloop / static'],
    rows.map((r) => [r.pattern, pct(r.opsloop.fillRate), pct(r.baseline.fillRate), money(r.opsloop.avgOnHandValue),
      money(r.baseline.avgOnHandValue), pct(ratio(r.opsloop, r.baseline), 0), `${r.opsloop.stockoutDays} / ${r.baseline.stockoutDays}`]),
  );
}

/** What the tune step adds, and what the baseline would need to serve as well as opsloop. */
export function contextTable(rows: readonly PatternRow[]): string {
  return markdown(
    ['pattern', 'opsloop without tune step: fill', 'inventory / static', 'final factor', 'static at opsloop\'s fill: multiplier', 'its inventory value', 'opsloop / that'],
    rows.map((r) => [r.pattern, pct(r.untuned.fillRate), pct(ratio(r.untuned, r.baseline), 0), r.pattern === 'all patterns' ? '' : String(r.finalFactor),
      r.matchedK === null ? 'not reached (k ≤ 12)' : `k = ${r.matchedK}`, money(r.matched.avgOnHandValue), pct(ratio(r.opsloop, r.matched), 0)]),
  );
}

/** The two targets, judged on the aggregate over all patterns, and per pattern. */
export function verdict(all: PatternRow, rows: readonly PatternRow[]): { met: boolean; text: string } {
  const floor = all.target - 0.01;
  const fillOk = all.opsloop.fillRate >= floor;
  const atLeastBaseline = all.opsloop.fillRate >= all.baseline.fillRate;
  const inventoryOk = atLeastBaseline && ratio(all.opsloop, all.baseline) <= 0.8;
  const short = rows.filter((r) => r.opsloop.fillRate < floor).map((r) => `${r.pattern} ${pct(r.opsloop.fillRate)}`);
  const lean = rows.filter((r) => r.opsloop.fillRate >= r.baseline.fillRate && ratio(r.opsloop, r.baseline) <= 0.8).map((r) => r.pattern);
  const text = [
    `fill rate ${pct(all.opsloop.fillRate)} vs target − 1 point ${pct(floor)}: ${fillOk ? 'met' : 'MISSED'}` +
      (short.length > 0 ? ` (patterns below: ${short.join(', ')})` : ' (every pattern at or above)'),
    `inventory value ${pct(ratio(all.opsloop, all.baseline), 1)} of the baseline's (target ≤ 80 %) at ${atLeastBaseline ? 'equal or better' : 'WORSE'} ` +
      `fill rate (${pct(all.opsloop.fillRate)} vs ${pct(all.baseline.fillRate)}): ${inventoryOk ? 'met' : 'MISSED'}` +
      ` (patterns within 80 %: ${lean.length > 0 ? lean.join(', ') : 'none'})`,
    `against the baseline raised to opsloop's fill rate pattern by pattern: ${pct(ratio(all.opsloop, all.matched), 1)} of its inventory value`,
  ].join('\n');
  return { met: fillOk && inventoryOk, text };
}
