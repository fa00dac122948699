import fs from 'node:fs';
import { forecast, FORECAST_METHODS } from '@opsloop/analytics';
const doc = JSON.parse(fs.readFileSync('bench/forecast/series.json', 'utf8'));
const ets = JSON.parse(fs.readFileSync('/tmp/fc/ets.json', 'utf8'));
function mase(train: number[], test: number[], p: number[], f: number) {
  const lag = Math.max(1, f); let s = 0;
  for (let t = lag; t < train.length; t++) s += Math.abs(train[t] - train[t - lag]);
  return test.reduce((a, v, i) => a + Math.abs(v - p[i]), 0) / test.length / (s / (train.length - lag));
}
const methods = (process.argv[2] ?? 'auto,ses,holt-damped,theta,combination').split(',');
const acc: Record<string, Record<string, number[]>> = {};
const add = (k: string, period: string, v: number) => { ((acc[k] ??= {})[period] ??= []).push(v); ((acc[k] ??= {}).all ??= []).push(v); };
const picks: Record<string, number> = {};
let ms = 0;
doc.series.forEach((s: any, i: number) => {
  const train = s.values.slice(0, -s.horizon), test = s.values.slice(-s.horizon);
  add('ets', s.period, mase(train, test, ets[i].point, s.frequency));
  add('thetaf(R)', s.period, mase(train, test, ets[i].theta, s.frequency));
  for (const m of methods) {
    const t0 = performance.now();
    const r = forecast({ values: train, horizon: s.horizon, seasonPeriod: s.frequency, method: m as any });
    if (m === 'auto') { ms += performance.now() - t0; picks[r.method] = (picks[r.method] ?? 0) + 1; }
    add(m, s.period, mase(train, test, r.point, s.frequency));
  }
});
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
for (const [k, v] of Object.entries(acc)) console.log(k.padEnd(36), ['monthly', 'quarterly', 'yearly', 'all'].map((p) => mean(v[p]).toFixed(3)).join('  '));
console.log(picks, 'auto ms/series', (ms / doc.series.length).toFixed(2));
