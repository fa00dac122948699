/**
 * Real resources for the fuzzer to aim at. Random ids only ever reach a route's 404, so the bench
 * first makes one of each (a push source with a batch, a metric on it, a live threshold-alert loop
 * whose run waits for approval, a round trip) and hands their ids to schemathesis as dictionaries:
 * most cases of a route with an {id} then hit a resource that exists.
 */
import { randomUUID } from 'node:crypto';

export interface Seeded {
  sources: string[];
  batches: string[];
  metrics: string[];
  loops: string[];
  runs: string[];
  decisions: string[];
  roundTrips: string[];
}

type Call = (method: string, path: string, body?: unknown, contentType?: string) => Promise<Record<string, unknown>>;

function client(baseUrl: string, key: string): Call {
  return async (method, path, body, contentType = 'application/json') => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`seeding: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

const SCHEMA = {
  fields: [
    { name: 'sku', type: 'string', required: true },
    { name: 'store', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'qty', type: 'number', required: true, min: 0 },
  ],
  uniqueKey: ['sku', 'store', 'ts'], timeField: 'ts', seriesKey: ['sku', 'store'], valueField: 'qty', dimensions: ['store'],
};

export async function seed(baseUrl: string, adminKey: string, log: (line: string) => void): Promise<Seeded> {
  const call = client(baseUrl, adminKey);
  const source = await call('POST', '/api/v1/sources', { name: `fuzz sales ${randomUUID()}`, kind: 'push', schema: SCHEMA });
  const day = (d: number) => new Date(Date.UTC(2025, 8, 1 + d)).toISOString();
  const rows = Array.from({ length: 30 }, (_, d) => JSON.stringify({ sku: 'A-1', store: d % 2 ? 's1' : 's2', ts: day(d), qty: d + 1 })).join('\n');
  const batch = await call('POST', `/api/v1/sources/${String(source.id)}/observations`, rows, 'application/x-ndjson');
  const metricKey = `fuzz-units-${Date.now()}`;
  await call('POST', '/api/v1/metrics', {
    key: metricKey, name: 'Units', owner: 'ops', unit: 'units', source: source.id, aggregation: { type: 'sum' }, grain: 'day', dimensions: ['store'],
  });
  const loop = await call('POST', '/api/v1/loops', {
    name: `fuzz alert ${randomUUID()}`, kind: 'threshold-alert', mode: 'live', params: { bound: 90, direction: 'above' }, trigger: { type: 'event' },
    approval: { when: 'always', timeoutSeconds: 7 * 24 * 3600, onTimeout: 'reject' }, actionTarget: { type: 'record' },
  });
  const started = await call('POST', `/api/v1/loops/${String(loop.id)}/events`, { eventId: 'fuzz-seed', payload: { readings: [{ series: 'cpu.eu', value: 97 }] } });
  const run = await decidedRun(call, String(started.workflowId), String(loop.id));
  if (run.decisions.length === 0) log(`the seeded run ${run.id ?? '(not opened)'} made no decision within 60 s: decision routes get random ids only`);
  const roundTrip = await call('POST', '/api/v1/round-trips', { id: randomUUID(), message: 'fuzz seed' });
  return {
    sources: [String(source.id)], batches: [String(batch.batchId)], metrics: [metricKey], loops: [String(loop.id)],
    runs: run.id ? [run.id] : [], decisions: run.decisions, roundTrips: [String(roundTrip.id)],
  };
}

/**
 * The seeded event's run once it has made its decisions (it then waits for approval). A run that
 * fails or stays undecided is no reason to skip the fuzzing: it only leaves fewer ids to aim at.
 */
async function decidedRun(call: Call, workflowId: string, loopId: string): Promise<{ id: string | null; decisions: string[] }> {
  const deadline = Date.now() + 60_000;
  let id: string | null = null;
  while (Date.now() < deadline) {
    const runs = (await call('GET', `/api/v1/runs?loopId=${loopId}`)) as unknown as { id: string; workflowId: string; status: string }[];
    const run = runs.find((r) => r.workflowId === workflowId);
    id = run?.id ?? null;
    if (run) {
      const detail = (await call('GET', `/api/v1/runs/${run.id}`)) as { decisions?: { id: string }[] };
      if (detail.decisions?.length) return { id: run.id, decisions: detail.decisions.map((d) => d.id) };
      if (run.status === 'failed') break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { id, decisions: [] };
}
