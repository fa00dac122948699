/**
 * `opsloop simulate replenishment --scenario FILE [--trace FILE]` (DESIGN contract 4): reads and
 * validates the scenario, runs opsloop's replenishment@1 and the static min/max baseline day by
 * day, prints `{"policies": [...]}` and, with --trace, writes one JSON line per policy, item and
 * day (`--trace -`: the lines go to stdout and the summary to stderr). Exit 0 done, 2 for usage or
 * scenario errors (the message names the field), 1 otherwise.
 * `simulate routing` belongs to the routing work and answers "not available yet".
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeAllSync } from '../write-sync';
import { autoDemandForecaster, ScenarioError, simulateReplenishment, TraceRow, validateScenario } from '@opsloop/policies';

const USAGE = [
  'usage: opsloop simulate replenishment --scenario FILE [--trace FILE]',
  '  --scenario FILE  scenario JSON: {"targetServiceLevel","reviewPeriodDays","warmupDays","items":[...]}',
  '  --trace FILE     also write one JSON line per policy, item and day (-: to stdout, the summary then to stderr)',
].join('\n');

class UsageError extends Error {}

interface SimulateOptions {
  scenario: string;
  trace?: string;
}

export function simulateCommand(args: string[]): Promise<number> {
  return Promise.resolve(runSimulate(args));
}

function runSimulate(args: string[]): number {
  const [kind, ...rest] = args;
  if (kind === 'help' || kind === '--help') return (process.stdout.write(`${USAGE}\n`), 0);
  if (kind === 'routing') return fail('simulate routing is not available yet: only "simulate replenishment" is built so far');
  try {
    if (kind !== 'replenishment') throw new UsageError(kind === undefined ? 'missing what to simulate' : `unknown simulation "${kind}"`);
    const options = parseOptions(rest);
    const scenario = validateScenario(readScenario(options.scenario));
    const result = withTrace(options.trace, (onTrace) => simulateReplenishment(scenario, { forecast: autoDemandForecaster, onTrace }));
    (options.trace === '-' ? process.stderr : process.stdout).write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    // The reader of `--trace -` went away (`| head`): what it wanted was written.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    if (err instanceof UsageError) return fail(`${err.message}\n${USAGE}`);
    if (err instanceof ScenarioError) return fail(`invalid scenario: ${err.message}`);
    throw err;
  }
}

function parseOptions(args: string[]): SimulateOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    if (flag !== '--scenario' && flag !== '--trace') throw new UsageError(`unknown option "${flag}"`);
    if (values[flag] !== undefined) throw new UsageError(`${flag} given twice`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a file name`);
    values[flag] = value;
  }
  if (values['--scenario'] === undefined) throw new UsageError('--scenario FILE is required');
  return { scenario: values['--scenario'], trace: values['--trace'] };
}

function readScenario(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --scenario ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ScenarioError('scenario', `${file} is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Writes trace rows as the simulation makes them, in chunks. The simulation is synchronous, so
 * the writes are too: a stream would only queue every row in memory until the run ends.
 */
function withTrace<T>(file: string | undefined, run: (onTrace?: (row: TraceRow) => void) => T): T {
  if (file === undefined) return run(undefined);
  let fd: number;
  try {
    fd = file === '-' ? process.stdout.fd : openSync(file, 'w');
  } catch (err) {
    throw new UsageError(`cannot write --trace ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let buffered: string[] = [];
  const flush = () => {
    if (buffered.length > 0) writeAllSync(fd, buffered.join(''));
    buffered = [];
  };
  try {
    const result = run((row) => {
      buffered.push(`${JSON.stringify(row)}\n`);
      if (buffered.length >= 1000) flush();
    });
    flush();
    return result;
  } finally {
    if (fd !== process.stdout.fd) closeSync(fd);
  }
}

function fail(message: string): number {
  process.stderr.write(`opsloop simulate: ${message}\n`);
  return 2;
}
