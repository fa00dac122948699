import { RowValidator, SeriesPoints, TypedValue } from '@opsloop/domain';
import { CopyLines } from '../../../libs/persistence/src/ingest/copy-lines';
import { BENCH_SCHEMA, pushBody } from '../data';
import { ndjsonRows, utf8Text } from '../../../apps/api/src/sources/observation-json';

const N = 200_000;
const body = pushBody(N, 'ndjson');
const text = Buffer.concat(body.chunks).toString();
const lines = text.split('\n').filter(Boolean);
const t = (label: string, f: () => void) => { const s = performance.now(); f(); const ms = performance.now() - s; console.log(label.padEnd(28), (ms * 1000 / N).toFixed(2), 'µs/row'); };
const v = new RowValidator(BENCH_SCHEMA as never);
const lc = new CopyLines(v);
const typed: TypedValue[] = new Array(5).fill(null);
let objs: Record<string, unknown>[] = [];
for (let rep = 0; rep < 2; rep++) {
  console.log('--- rep', rep);
  t('JSON.parse lines', () => { objs = lines.map((l) => JSON.parse(l)); });
  t('typeRow', () => { for (let i = 0; i < N; i++) v.typeRow(objs[i]!, i + 1, typed); });
  t('typeRow+keys', () => { for (let i = 0; i < N; i++) { v.typeRow(objs[i]!, i + 1, typed); v.seriesKey(typed); v.uniqueKey(typed); } });
  const p = new SeriesPoints();
  t('points.add', () => { for (let i = 0; i < N; i++) { v.typeRow(objs[i]!, i + 1, typed); p.add(v.seriesKey(typed), v.timeMs, v.value(typed)); } });
  t('full line', () => { let buf = ''; for (let i = 0; i < N; i++) { v.typeRow(objs[i]!, i + 1, typed); const sk = v.seriesKey(typed); buf += lc.observation(i + 1, typed, v.uniqueKey(typed), sk); if (buf.length > 262144) { Buffer.from(buf); buf = ''; } } });
  t('grouped+gate', () => { p.grouped(); });
}
(async () => {
  let s = performance.now(); let n = 0;
  for await (const r of ndjsonRows(utf8Text((async function* () { for (const c of body.chunks) yield c; })()))) { if (r.row) n++; }
  console.log('ndjsonRows async total'.padEnd(28), ((performance.now() - s) * 1000 / N).toFixed(2), 'µs/row', n);
  s = performance.now(); n = 0;
  async function* gen() { for (let i = 0; i < N; i++) yield i; }
  for await (const _ of gen()) n++;
  console.log('bare async gen'.padEnd(28), ((performance.now() - s) * 1000 / N).toFixed(2), 'µs/row');
})();
