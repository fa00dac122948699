import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { freePort } from '@opsloop/devstack';
import { startInfra } from '../infra';
import { startApiProcess } from '../api-process';
import { pushBody, BENCH_SCHEMA } from '../data';
import { push } from '../loads';
import { rssMb, sampleRss } from '../proc';

(async () => {
  const infra = await startInfra((l) => console.error(l));
  const key = `olk_bench-${randomBytes(16).toString('hex')}`;
  const api = await startApiProcess({ DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, OPSLOOP_ADMIN_KEY: key, OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64') }, await freePort(), console.error);
  try {
    console.log('idle rss', rssMb(api.pid).toFixed(0));
    const res = await fetch(`${api.baseUrl}/api/v1/sources`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ name: 'p', kind: 'push', schema: BENCH_SCHEMA, config: { maxBatchRows: 2000000 } }) });
    const id = ((await res.json()) as { id: string }).id;
    const N = Number(process.env.N ?? 200000);
    const body = pushBody(N, (process.env.FMT ?? 'ndjson') as 'ndjson');
    const rss = sampleRss(api.pid);
    const r = await push(api.baseUrl, key, id, body.contentType, body.chunks, body.bytes);
    console.log(r.status, (r.ms / 1000).toFixed(1), 's', (N / r.ms * 1000).toFixed(0), 'rows/s; rss peak', rss.stop().toFixed(0));
    console.log(api.ingestLines.at(-1));
  } finally { await api.stop(); await infra.stop(); }
})();
