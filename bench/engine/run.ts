/**
 * `npm run bench:engine`: a no-op loop through every engine stage against a bare Temporal
 * workflow with as many trivial activities, on one server and one worker. Prints the tables and
 * writes the raw figures to bench/engine/last-run.json. See bench/RESULTS.md for the method.
 */
import 'reflect-metadata';
import path from 'node:path';
import { benchConfig, benchmark } from './bench';
import { BenchWorker, startBenchWorker } from './bench-worker';
import { BenchInfra, startInfra } from './infra';
import { describeEnvironment, printReport, writeJson } from './report';
import { runBench } from '../support/run-bench';

const OUTPUT = path.join(__dirname, 'last-run.json');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// A dev server on a busy box logs persistence retries ("context canceled"); show a few, count all.
let serverErrors = 0;
const stackLog = (line: string) => {
  if (/level=ERROR/.test(line) && ++serverErrors > 3) return;
  log(line);
};

let infra: BenchInfra | undefined;
let worker: BenchWorker | undefined;

async function stopAll(): Promise<void> {
  const [w, i] = [worker, infra];
  worker = undefined;
  infra = undefined;
  await w?.stop().catch((err: unknown) => log(`worker stop failed: ${String(err)}`));
  await i?.stop().catch((err: unknown) => log(`stack stop failed: ${String(err)}`));
}

async function main(): Promise<void> {
  const cfg = benchConfig();
  infra = await startInfra(stackLog);
  worker = await startBenchWorker(infra);
  const env = await describeEnvironment(worker, infra);
  log(`worker on ${worker.taskQueue}; ${cfg.rounds} rounds, ${cfg.warmupRuns} warm-up and ${cfg.latencyRuns} latency runs of each kind`);
  const result = await benchmark(worker, infra, cfg, log);
  printReport(env, result);
  writeJson(OUTPUT, env, result);
  if (serverErrors > 0) log(`the Temporal server logged ${serverErrors} errors (first 3 shown)`);
  log(`raw figures in ${path.relative(process.cwd(), OUTPUT)}`);
}

runBench(main, stopAll, log);
