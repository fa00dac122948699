/**
 * `npm run bench:replenishment`: runs opsloop (replenishment@1 on analytics' `auto` forecast,
 * with its tune step) and the static min/max baseline over every shipped scenario, exactly as
 * `opsloop simulate replenishment` does, and prints per pattern and over all patterns (items
 * pooled, so the fill rate weighs by units): fill rate, average inventory value, opsloop against
 * the baseline. For context it also runs opsloop without its tune step, and the baseline with its
 * safety multiplier raised until it serves as well as opsloop. Writes the figures to
 * bench/replenishment/last-run.json. Targets (issue 6): opsloop fill rate at least target − 1
 * point; average inventory value at most 80 % of the baseline's at equal or better fill rate.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoDemandForecaster, ItemTotals, Scenario, simulateScenario, summarise, validateScenario } from '@opsloop/policies';
import { SCENARIO_DIR } from './generate';
import { Matched, matchedBaseline } from './matched';
import { contextTable, contractTable, PatternRow, verdict } from './table';

const OUTPUT = path.join(__dirname, 'last-run.json');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface PatternRun {
  pattern: string;
  target: number;
  seconds: number;
  opsloop: ItemTotals[];
  baseline: ItemTotals[];
  untuned: ItemTotals[];
  matched: Matched;
  factorMoves: Array<{ day: number; to: number }>;
}

function timed<T>(run: () => T): [T, number] {
  const started = process.hrtime.bigint();
  const result = run();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

function runPattern(file: string): PatternRun {
  const scenario: Scenario = validateScenario(JSON.parse(readFileSync(file, 'utf8')));
  const pattern = scenario.name ?? path.basename(file, '.json');
  const factorMoves: PatternRun['factorMoves'] = [];
  const [[opsloop, baseline], seconds] = timed(() =>
    simulateScenario(scenario, { forecast: autoDemandForecaster, onTune: (day, p) => factorMoves.push({ day, to: p.to }) }));
  const [untuned] = simulateScenario(scenario, { forecast: autoDemandForecaster, tuning: null });
  const matched = matchedBaseline(scenario, opsloop!.summary.fillRate);
  log(`${pattern}: ${scenario.items.length} items, opsloop + baseline simulated in ${seconds.toFixed(1)} s`);
  return { pattern, target: scenario.targetServiceLevel, seconds, opsloop: opsloop!.items, baseline: baseline!.items, untuned: untuned!.items,
    matched, factorMoves };
}

function row(pattern: string, target: number, runs: readonly PatternRun[]): PatternRow {
  const pool = (pick: (r: PatternRun) => ItemTotals[]) => runs.flatMap(pick);
  const single = runs.length === 1 ? runs[0]! : null;
  return {
    pattern,
    target,
    opsloop: summarise('opsloop', pool((r) => r.opsloop)),
    baseline: summarise('static-minmax', pool((r) => r.baseline)),
    untuned: summarise('opsloop without tune step', pool((r) => r.untuned)),
    matched: summarise('static-minmax at opsloop fill', pool((r) => r.matched.items)),
    matchedK: single ? single.matched.k : null,
    finalFactor: single?.factorMoves.at(-1)?.to ?? 1,
  };
}

function main(): void {
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(SCENARIO_DIR, f));
  if (files.length === 0) throw new Error(`no scenarios in ${SCENARIO_DIR}: run npm run bench:replenishment:generate`);
  const runs = files.map(runPattern);
  const target = runs[0]!.target;
  if (runs.some((r) => r.target !== target)) throw new Error('the shipped scenarios should share one target service level');
  const rows = runs.map((r) => row(r.pattern, r.target, [r]));
  const all = row('all patterns', target, runs);
  const result = verdict(all, rows);
  process.stdout.write(`${contractTable([...rows, all])}\n\n${contextTable([...rows, all])}\n\n${result.text}\n`);
  writeFileSync(OUTPUT, `${JSON.stringify({
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    seconds: Object.fromEntries(runs.map((r) => [r.pattern, Number(r.seconds.toFixed(2))])),
    factorMoves: Object.fromEntries(runs.map((r) => [r.pattern, r.factorMoves])),
    patterns: rows, all, targetsMet: result.met,
  }, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
}

main();
