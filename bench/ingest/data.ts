/**
 * The bench's observations, generated once and held as ready-to-send buffers: the push body
 * (NDJSON, a JSON array or CSV) and the raw COPY text of the very rows the pipeline stores, so
 * both sides of the comparison load identical data and neither pays for generating it while timed.
 */
export const BENCH_SCHEMA = {
  fields: [
    { name: 'sku', type: 'string', required: true },
    { name: 'store', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'qty', type: 'number', required: true, min: 0 },
    { name: 'channel', type: 'string', required: true, allowed: ['web', 'store'] },
  ],
  uniqueKey: ['sku', 'store', 'ts'],
  timeField: 'ts',
  seriesKey: ['sku', 'store'],
  valueField: 'qty',
  dimensions: ['store', 'channel'],
};

export type BodyFormat = 'ndjson' | 'json' | 'csv';

const SERIES = 5000; // 1000 SKUs × 5 stores, one point per hour each
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const CHUNK = 1 << 20;

interface Row { sku: string; store: string; ts: string; qty: number; channel: string }

function rowAt(i: number): Row {
  const series = i % SERIES;
  return {
    sku: `SKU-${String(series % 1000).padStart(5, '0')}`,
    store: `store-${Math.floor(series / 1000) + 1}`,
    ts: new Date(T0 + Math.floor(i / SERIES) * HOUR).toISOString(),
    qty: ((i * 7919) % 1000) / 10,
    channel: i % 3 === 0 ? 'web' : 'store',
  };
}

/** Lines joined into ~1 MiB buffers. */
function chunked(rows: number, line: (r: Row, i: number) => string, header = '', footer = ''): { chunks: Buffer[]; bytes: number } {
  const chunks: Buffer[] = [];
  let text = header;
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    text += line(rowAt(i), i);
    if (text.length < CHUNK) continue;
    chunks.push(Buffer.from(text));
    bytes += chunks.at(-1)!.length;
    text = '';
  }
  text += footer;
  if (text) chunks.push(Buffer.from(text));
  return { chunks, bytes: bytes + Buffer.byteLength(text) };
}

export function pushBody(rows: number, format: BodyFormat): { chunks: Buffer[]; bytes: number; contentType: string } {
  if (format === 'csv') {
    const csv = chunked(rows, (r) => `${r.sku},${r.store},${r.ts},${r.qty},${r.channel}\n`, 'sku,store,ts,qty,channel\n');
    return { ...csv, contentType: 'text/csv' };
  }
  if (format === 'json') return { ...chunked(rows, (r, i) => `${i === 0 ? '' : ','}${JSON.stringify(r)}\n`, '[', ']'), contentType: 'application/json' };
  return { ...chunked(rows, (r) => `${JSON.stringify(r)}\n`), contentType: 'application/x-ndjson' };
}

/** The rows exactly as the pipeline stores them, in the observations column order. */
export function copyText(rows: number, sourceId: string, batchId: string): { chunks: Buffer[]; bytes: number } {
  return chunked(rows, (r) => {
    const record = `{"sku":"${r.sku}","store":"${r.store}","ts":"${r.ts}","qty":${r.qty},"channel":"${r.channel}"}`;
    return `${sourceId}\t${r.sku}|${r.store}|${r.ts}\t${r.sku}|${r.store}\t{"store":"${r.store}","channel":"${r.channel}"}\t${r.ts}\t${r.qty}\t${record}\t${batchId}\n`;
  });
}
