/**
 * `npm run bench:ingest`: 1,000,000 observations pushed through the real API (own process) in
 * one streamed batch, against COPY of the same rows straight into an identical table. Several
 * runs, medians; the API's peak RSS. Prints the table and writes bench/ingest/last-run.json.
 * Knobs: BENCH_ROWS (1000000), BENCH_RUNS (3), BENCH_FORMAT (ndjson | json | csv), DATABASE_URL.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '@opsloop/devstack';
import { measureCpu } from '../engine/cpu';
import { ApiProcess, startApiProcess } from './api-process';
import { BENCH_SCHEMA, BodyFormat, copyText, pushBody } from './data';
import { IngestInfra, startInfra } from './infra';
import { createReferenceTable, push, rawCopy, resetTables } from './loads';
import { cpuSeconds, machineBusySeconds, sampleRss } from './proc';
import { runBench } from '../support/run-bench';

const OUTPUT = path.join(__dirname, 'last-run.json');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Run {
  pushMs: number; pushRowsPerSec: number; apiRssPeakMb: number; apiCpuSeconds: number; postgresCpuSecondsDuringPush: number | null;
  machineCoresBusyDuringPush: number; ingestLog: string;
  /** CPU seconds of the one Postgres backend running the raw COPY: its ceiling is rows / this. */
  rawMs: number; rawRowsPerSec: number; rawBackendCpuSeconds: number; machineCoresBusyDuringRaw: number; ratio: number;
}

let infra: IngestInfra | undefined;
let api: ApiProcess | undefined;
let db: Client | undefined;

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const format = (process.env.BENCH_FORMAT ?? 'ndjson') as BodyFormat;
  infra = await startInfra(log);
  const adminKey = `olk_bench-${randomBytes(16).toString('hex')}`;
  api = await startApiProcess({
    DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, OPSLOOP_ADMIN_KEY: adminKey,
    OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'),
  }, await freePort(), log);
  const idleRssMb = readRss(api.pid);
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  await createReferenceTable(db);
  const sourceId = await createSource(api, adminKey, rows);
  const referenceSourceId = await createSource(api, adminKey, rows);
  log(`generating ${rows} rows (${format} body and COPY text)`);
  const body = pushBody(rows, format);
  const copy = copyText(rows, referenceSourceId, randomUUID());
  log(`push body ${(body.bytes / 2 ** 20).toFixed(1)} MiB, COPY text ${(copy.bytes / 2 ** 20).toFixed(1)} MiB; warming up`);
  await warmUp(api, adminKey, sourceId, format, db);

  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const run = await oneRun(r, { api, adminKey, sourceId, body, copyChunks: copy.chunks, rows, db });
    results.push(run);
    log(`run ${r + 1}/${runs}: push ${fmt(run.pushRowsPerSec)} rows/s (RSS peak ${run.apiRssPeakMb.toFixed(0)} MiB), raw COPY ${fmt(run.rawRowsPerSec)} rows/s, ratio ${(run.ratio * 100).toFixed(0)} %`);
    log(`  ${run.ingestLog}`);
    log(`  CPU: API ${run.apiCpuSeconds.toFixed(1)} s, Postgres ${run.postgresCpuSecondsDuringPush?.toFixed(1) ?? '?'} s during the push; raw COPY backend ${run.rawBackendCpuSeconds.toFixed(1)} s (ceiling ${fmt(rawCeiling(run))} rows/s)`);
  }
  report({ rows, runs, format, bodyBytes: body.bytes, idleRssMb, infra: infra.describe, results });
}

interface RunContext {
  api: ApiProcess; adminKey: string; sourceId: string; rows: number; db: Client;
  body: { chunks: Buffer[]; bytes: number; contentType: string }; copyChunks: Buffer[];
}

/** Alternates which load goes first, so neither always inherits a warmer cache. */
async function oneRun(r: number, c: RunContext): Promise<Run> {
  const order = r % 2 === 0 ? ['push', 'raw'] : ['raw', 'push'];
  let pushed: Omit<Run, 'rawMs' | 'rawRowsPerSec' | 'rawBackendCpuSeconds' | 'machineCoresBusyDuringRaw' | 'ratio'> | undefined;
  let raw: { ms: number; busy: number; backendCpu: number } | undefined;
  for (const which of order) {
    await resetTables(c.db);
    if (which === 'push') pushed = await timedPush(c);
    else raw = await timedRaw(c);
  }
  const rawRowsPerSec = c.rows / (raw!.ms / 1000);
  return {
    ...pushed!, rawMs: raw!.ms, rawRowsPerSec, rawBackendCpuSeconds: raw!.backendCpu, machineCoresBusyDuringRaw: raw!.busy,
    ratio: pushed!.pushRowsPerSec / rawRowsPerSec,
  };
}

async function timedPush(c: RunContext) {
  const rss = sampleRss(c.api.pid);
  const [apiCpu0, busy0] = [cpuSeconds(c.api.pid), machineBusySeconds()];
  const { result, cpu } = await measureCpu({ temporalPort: null, pgDataDir: infra!.pgDataDir }, () =>
    push(c.api.baseUrl, c.adminKey, c.sourceId, c.body.contentType, c.body.chunks, c.body.bytes));
  const apiRssPeakMb = rss.stop();
  const seconds = result.ms / 1000;
  if (result.status !== 201 || result.body['rowsWritten'] !== c.rows) throw new Error(`push failed: ${result.status} ${JSON.stringify(result.body).slice(0, 500)}`);
  const [{ n }] = (await c.db.query(`SELECT count(*)::int AS n FROM observations WHERE source_id = $1`, [c.sourceId])).rows as [{ n: number }];
  if (n !== c.rows) throw new Error(`expected ${c.rows} stored observations, found ${n}`);
  return {
    pushMs: result.ms, pushRowsPerSec: c.rows / seconds, apiRssPeakMb,
    apiCpuSeconds: cpuSeconds(c.api.pid) - apiCpu0, postgresCpuSecondsDuringPush: cpu.postgres === null ? null : cpu.postgres * seconds,
    machineCoresBusyDuringPush: (machineBusySeconds() - busy0) / seconds, ingestLog: c.api.ingestLines.at(-1) ?? '',
  };
}

async function timedRaw(c: RunContext): Promise<{ ms: number; busy: number; backendCpu: number }> {
  const [{ pid }] = (await c.db.query('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
  const [busy0, cpu0] = [machineBusySeconds(), cpuSeconds(pid)];
  const ms = await rawCopy(c.db, c.copyChunks);
  return { ms, busy: (machineBusySeconds() - busy0) / (ms / 1000), backendCpu: cpuSeconds(pid) - cpu0 };
}

/** A small batch through both paths first: JIT, connection pool and catalog caches warm. */
async function warmUp(a: ApiProcess, key: string, sourceId: string, format: BodyFormat, database: Client): Promise<void> {
  const small = pushBody(20_000, format);
  const res = await push(a.baseUrl, key, sourceId, small.contentType, small.chunks, small.bytes);
  if (res.status !== 201) throw new Error(`warm-up push failed: ${res.status} ${JSON.stringify(res.body)}`);
  await resetTables(database);
}

async function createSource(a: ApiProcess, key: string, maxBatchRows: number): Promise<string> {
  const res = await fetch(`${a.baseUrl}/api/v1/sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ name: `bench ${randomUUID()}`, kind: 'push', schema: BENCH_SCHEMA, config: { maxBatchRows } }),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`create source: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

function readRss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

const rawCeiling = (run: Run) => (run.rawRowsPerSec * (run.rawMs / 1000)) / run.rawBackendCpuSeconds;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function report(r: { rows: number; runs: number; format: string; bodyBytes: number; idleRssMb: number; infra: string; results: Run[] }): void {
  const summary = {
    pushRowsPerSec: median(r.results.map((x) => x.pushRowsPerSec)),
    rawRowsPerSec: median(r.results.map((x) => x.rawRowsPerSec)),
    ratio: median(r.results.map((x) => x.ratio)),
    apiRssPeakMb: Math.max(...r.results.map((x) => x.apiRssPeakMb)),
    rawCeilingRowsPerSec: median(r.results.map(rawCeiling)),
  };
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, load: os.loadavg() };
  const lines = [
    `| rows | format | push rows/s (median) | raw COPY rows/s (median) | push / raw | API RSS peak | raw COPY ceiling (rows per backend CPU-second) |`,
    `|---|---|---|---|---|---|---|`,
    `| ${fmt(r.rows)} | ${r.format} | ${fmt(summary.pushRowsPerSec)} | ${fmt(summary.rawRowsPerSec)} | ${(summary.ratio * 100).toFixed(0)} % | ${summary.apiRssPeakMb.toFixed(0)} MiB (idle ${r.idleRssMb.toFixed(0)}) | ${fmt(summary.rawCeilingRowsPerSec)} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const targets = { rowsPerSec: summary.pushRowsPerSec >= 100_000, ratio: summary.ratio >= 0.5, rss: summary.apiRssPeakMb < 300 };
  log(`targets: ≥100,000 rows/s ${targets.rowsPerSec ? 'met' : 'MISSED'}; ≥50 % of raw COPY ${targets.ratio ? 'met' : 'MISSED'}; RSS < 300 MB ${targets.rss ? 'met' : 'MISSED'}`);
  fs.writeFileSync(OUTPUT, JSON.stringify({ date: new Date().toISOString(), machine, postgres: r.infra, ...r, summary, targets }, null, 2));
  log(`raw figures in ${path.relative(process.cwd(), OUTPUT)}`);
}

async function stopAll(): Promise<void> {
  const [d, a, i] = [db, api, infra];
  [db, api, infra] = [undefined, undefined, undefined];
  await d?.end().catch(() => undefined);
  await a?.stop().catch((err: unknown) => log(`API stop failed: ${String(err)}`));
  await i?.stop().catch((err: unknown) => log(`Postgres stop failed: ${String(err)}`));
}

runBench(main, stopAll, log);
