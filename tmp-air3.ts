import { forecast, forecastBatch } from '@opsloop/analytics';
import { AIR } from './tmp-air';
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let i = 0; i < 50; i++) forecast({ values: AIR, horizon: 18, seasonPeriod: 12 });
for (const [label, req] of [['m=12 given', { values: AIR, horizon: 18, seasonPeriod: 12 }], ['season detected', { values: AIR, horizon: 18 }]] as const) {
  const N = 300; const w0 = performance.now(); const c0 = cpuMs(); let r;
  for (let i = 0; i < N; i++) r = forecast(req);
  console.log(`AirPassengers 144 pts, h=18, ${label}: ${((cpuMs() - c0) / N).toFixed(2)} ms CPU, ${((performance.now() - w0) / N).toFixed(2)} ms wall per series; method ${r!.method}`);
}
const batch = Array.from({ length: 1000 }, (_, i) => ({ values: AIR.map((v, t) => v * (1 + 0.001 * ((i * 7 + t) % 13))), horizon: 18, seasonPeriod: 12 }));
const c0 = cpuMs(); const w0 = performance.now();
forecastBatch(batch);
console.log(`batch of 1000: ${((cpuMs() - c0) / 1000).toFixed(2)} ms CPU/series, ${((performance.now() - w0) / 1000).toFixed(2)} ms wall/series, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
