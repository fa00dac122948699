/**
 * `npm run bench:fuzz`: schemathesis against the real stack with `--checks all`, once with an
 * admin key and once with a viewer key. Schemathesis comes from PyPI into a virtualenv under the
 * opsloop cache directory (bench/fuzz/schemathesis.ts). Prints cases, failures by check and 5xx
 * answers per key, and the distinct failures; the raw event streams stay in bench/.scratch/fuzz/.
 * Exits non-zero when any check failed or any answer was a 5xx.
 *
 * Knobs: FUZZ_MAX_EXAMPLES (cases per operation and phase; 300), FUZZ_SEED (a fixed default, so
 * runs compare), FUZZ_WORKERS (2), FUZZ_KEYS (admin,viewer), DATABASE_URL / TEMPORAL_ADDRESS.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench } from '../support/run-bench';
import { FuzzSummary, summarise, table } from './report';
import { writeRunConfig } from './config';
import { ensureSchemathesis, runSchemathesis, SCHEMATHESIS_VERSION } from './schemathesis';
import { seed } from './seed';
import { FuzzStack, startFuzzStack } from './stack';

const SCRATCH = path.resolve(__dirname, '../.scratch/fuzz');
const ROLES = ['admin', 'viewer'] as const;
type FuzzRole = (typeof ROLES)[number];
const log = (line: string) => process.stderr.write(`[fuzz ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 300);
const SEED = process.env.FUZZ_SEED ?? '20261204';
const WORKERS = Number(process.env.FUZZ_WORKERS ?? 2);
const KEYS = (process.env.FUZZ_KEYS ?? ROLES.join(',')).split(',') as FuzzRole[];

let stack: FuzzStack | undefined;
const abort = new AbortController();

async function main(): Promise<void> {
  if (KEYS.some((k) => !ROLES.includes(k))) throw new Error(`FUZZ_KEYS takes ${ROLES.join(', ')}`);
  const st = ensureSchemathesis(log);
  const started = Date.now();
  stack = await startFuzzStack(log);
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(0)} s at ${stack.baseUrl}`);
  const seeded = await seed(stack.baseUrl, stack.adminKey, log);
  log(`seeded ids: ${Object.entries(seeded).map(([name, ids]) => `${name} ${(ids as string[]).length}`).join(', ')}`);
  const summaries: FuzzSummary[] = [];
  for (const role of KEYS) {
    const key = await createKey(stack, role);
    const reportDir = path.join(SCRATCH, role);
    log(`schemathesis ${SCHEMATHESIS_VERSION}, ${role} key: --checks all --max-examples ${MAX_EXAMPLES} --seed ${SEED} --workers ${WORKERS}`);
    const config = writeRunConfig(reportDir, seeded);
    const files = await runSchemathesis({ st, config, baseUrl: stack.baseUrl, key, reportDir, maxExamples: MAX_EXAMPLES, seed: SEED, workers: WORKERS, signal: abort.signal });
    summaries.push(await summarise(`${role} key`, files.ndjson));
    log(`${role} run done (schemathesis exit ${files.exitCode}); its console output: ${path.relative(process.cwd(), files.console)}`);
  }
  report(summaries);
  if (summaries.some((s) => s.serverErrors > 0 || s.failures.length > 0)) process.exitCode = 1;
}

/** A fresh key per run, made with the bootstrap admin key, so a run that revokes its own key does not spoil the next. */
async function createKey(s: FuzzStack, role: FuzzRole): Promise<string> {
  const res = await fetch(`${s.baseUrl}/api/v1/api-keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${s.adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `fuzz ${role} ${Date.now()}`, role }),
  });
  if (res.status !== 201) throw new Error(`creating the ${role} key answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

function report(summaries: FuzzSummary[]): void {
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    '',
    `bench:fuzz: schemathesis ${SCHEMATHESIS_VERSION}, --checks all, --max-examples ${MAX_EXAMPLES}, --seed ${SEED}, ${WORKERS} workers; ${machine}`,
    table(summaries),
    '',
    ...summaries.flatMap((s) => s.failures.map((f) => `${s.label}: ${f.check} on ${f.operation}: ${f.message}`)),
    ...summaries.flatMap((s) => s.explained.map((f) => `${s.label}, not counted: ${f.check} on ${f.operation}: ${f.why}`)),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  fs.mkdirSync(SCRATCH, { recursive: true });
  fs.writeFileSync(path.join(SCRATCH, 'last-run.json'), JSON.stringify({ machine, maxExamples: MAX_EXAMPLES, seed: SEED, summaries }, null, 2));
}

runBench(main, async () => {
  abort.abort();
  await stack?.stop();
  stack = undefined;
}, log);
