import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { freePort } from '@opsloop/devstack';
import { startInfra } from '../infra';
import { pushBody, BENCH_SCHEMA } from '../data';
import { push } from '../loads';
import { rssMb, sampleRss } from '../proc';

(async () => {
  const infra = await startInfra((l) => console.error(l));
  const key = `olk_bench-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const out = fs.openSync('/tmp/ingest-scratch/gc.log', 'w');
  const child = spawn(process.execPath, [...(process.env.NODE_ARGS ?? '').split(' ').filter(Boolean), '-r', './tools/register.js', 'apps/api/src/main.ts'], { env: { ...process.env, DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, OPSLOOP_ADMIN_KEY: key, OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'), PORT: String(port), LOG_LEVEL: 'info' }, stdio: ['ignore', out, out] });
  const base = `http://127.0.0.1:${port}`;
  for (;;) { try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* */ } await new Promise((r) => setTimeout(r, 300)); }
  try {
    console.log('idle rss', rssMb(child.pid!).toFixed(0));
    const res = await fetch(`${base}/api/v1/sources`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ name: 'p', kind: 'push', schema: BENCH_SCHEMA, config: { maxBatchRows: 2000000 } }) });
    const id = ((await res.json()) as { id: string }).id;
    const N = Number(process.env.N ?? 1000000);
    const body = pushBody(N, 'ndjson');
    const rss = sampleRss(child.pid!);
    const samples: string[] = [];
    const timer = setInterval(() => samples.push(rssMb(child.pid!).toFixed(0)), 2000);
    const r = await push(base, key, id, body.contentType, body.chunks, body.bytes);
    clearInterval(timer);
    console.log(r.status, (r.ms / 1000).toFixed(1), 's', (N / r.ms * 1000).toFixed(0), 'rows/s; rss peak', rss.stop().toFixed(0), 'samples', samples.join(' '));
  } finally { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); await infra.stop(); }
})();
