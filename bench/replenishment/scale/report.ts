/** Medians per size, the growth from the smallest to the largest size, the table and the JSON. */
import fs from 'node:fs';
import type { RunFacts } from './loop-runs';
import type { MemoryDuringRun } from './worker-memory';

export const TARGET_SECONDS = 60;

export interface MeasuredRun extends RunFacts {
  items: number;
  round: number;
  /** The commit the worker started from (and whether apps/libs/workflows differed from it). */
  code: string;
  memory: MemoryDuringRun;
  workerCpuSeconds: number;
  /** Cores' worth busy on average during the run (1 = one core). */
  cores: Cores;
}

export interface Cores {
  worker: number;
  postgres: number | null;
  temporal: number | null;
  machine: number;
  /** The machine minus the three above: the API, the bench process and anything else running. */
  rest: number;
}

export interface SizeSummary {
  items: number;
  runs: number;
  wallMs: { median: number; min: number; max: number };
  perItemMs: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  stageMs: Record<string, number>;
  actPhaseMs: number;
  openMs: number;
  /** Wall time not inside a stage, the act phase or opening: Temporal dispatch, status writes, polling. */
  otherMs: number;
  workerCpuSeconds: number;
  cores: Cores;
  decisions: Record<string, number>;
  artifactBytes: Record<string, number>;
}

export interface Growth {
  smallest: number;
  largest: number;
  /** t(largest) / t(smallest); linear growth gives largest / smallest. */
  ratio: number;
  linearRatio: number;
  /** b in t = a·n^b, least squares on the log of the medians; 1 is linear. */
  exponent: number;
  /** (t(largest) − t(smallest)) / (largest − smallest): the cost of one more item. */
  marginalMsPerItem: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const medianOf = (runs: readonly MeasuredRun[], f: (r: MeasuredRun) => number | null) => {
  const xs = runs.map(f).filter((x): x is number => x !== null && Number.isFinite(x));
  return xs.length ? median(xs) : null;
};

export function otherMs(r: RunFacts): number {
  return r.wallMs - r.openMs - r.actPhaseMs - Object.values(r.stageMs).reduce((a, b) => a + b, 0);
}

export function summarise(runs: readonly MeasuredRun[]): SizeSummary[] {
  const sizes = [...new Set(runs.map((r) => r.items))].sort((a, b) => a - b);
  return sizes.map((items) => {
    const mine = runs.filter((r) => r.items === items);
    const walls = mine.map((r) => r.wallMs);
    const stages = [...new Set(mine.flatMap((r) => Object.keys(r.stageMs)))];
    const last = mine.at(-1)!;
    return {
      items, runs: mine.length,
      wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
      perItemMs: median(walls) / items,
      peakRssMiB: Math.max(...mine.map((r) => Math.max(r.memory.kernelPeakMiB, r.memory.sampledPeakMiB))),
      rssBeforeMiB: median(mine.map((r) => r.memory.rssBeforeMiB)),
      stageMs: Object.fromEntries(stages.map((s) => [s, medianOf(mine, (r) => r.stageMs[s] ?? null)!])),
      actPhaseMs: medianOf(mine, (r) => r.actPhaseMs) ?? Number.NaN,
      openMs: medianOf(mine, (r) => r.openMs) ?? Number.NaN,
      otherMs: medianOf(mine, otherMs) ?? Number.NaN,
      workerCpuSeconds: median(mine.map((r) => r.workerCpuSeconds)),
      cores: {
        worker: median(mine.map((r) => r.cores.worker)), postgres: medianOf(mine, (r) => r.cores.postgres),
        temporal: medianOf(mine, (r) => r.cores.temporal), machine: median(mine.map((r) => r.cores.machine)),
        rest: median(mine.map((r) => r.cores.rest)),
      },
      decisions: last.decisions, artifactBytes: last.artifactBytes,
    };
  });
}

export function growth(sizes: readonly SizeSummary[]): Growth | null {
  if (sizes.length < 2) return null;
  const [first, last] = [sizes[0]!, sizes.at(-1)!];
  const xs = sizes.map((s) => Math.log(s.items));
  const ys = sizes.map((s) => Math.log(s.wallMs.median));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const exponent = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return {
    smallest: first.items, largest: last.items,
    ratio: last.wallMs.median / first.wallMs.median, linearRatio: last.items / first.items, exponent,
    marginalMsPerItem: (last.wallMs.median - first.wallMs.median) / (last.items - first.items),
  };
}

const s1 = (ms: number) => (ms / 1000).toFixed(1);
const int = (x: number) => Math.round(x).toLocaleString('en-US');

export function table(sizes: readonly SizeSummary[], g: Growth | null): string {
  const stages = ['collect', 'quality', 'evaluate', 'decide'];
  const lines = [
    '| items | runs | wall time, median (min–max) | per item | peak worker RSS | collect | quality | evaluate | decide | approve + act | open | other | decisions |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...sizes.map((s) => `| ${int(s.items)} | ${s.runs} | **${s1(s.wallMs.median)} s** (${s1(s.wallMs.min)}–${s1(s.wallMs.max)}) | ${s.perItemMs.toFixed(2)} ms `
      + `| ${int(s.peakRssMiB)} MiB | ${stages.map((st) => (s.stageMs[st] === undefined ? '–' : `${s1(s.stageMs[st])} s`)).join(' | ')} `
      + `| ${s1(s.actPhaseMs)} s | ${s1(s.openMs)} s | ${s1(s.otherMs)} s | ${Object.entries(s.decisions).map(([d, n]) => `${int(n)} ${d}`).join(', ') || 'none'} |`),
  ];
  const cores = (x: number | null) => (x === null ? '?' : x.toFixed(2));
  const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
  lines.push(
    '',
    '| items | worker CPU | cores busy: worker | Postgres | Temporal | rest (API, bench, others) | machine | collect artifact | evaluate artifact |',
    '|---|---|---|---|---|---|---|---|---|',
    ...sizes.map((s) => `| ${int(s.items)} | ${s.workerCpuSeconds.toFixed(1)} s | ${cores(s.cores.worker)} | ${cores(s.cores.postgres)} | ${cores(s.cores.temporal)} `
      + `| ${cores(s.cores.rest)} | ${cores(s.cores.machine)} | ${mb(s.artifactBytes['collect'])} | ${mb(s.artifactBytes['evaluate'])} |`),
  );
  if (g) {
    lines.push('', `t(${int(g.largest)}) / t(${int(g.smallest)}) = **${g.ratio.toFixed(2)}** (linear: ${g.linearRatio}); `
      + `fitted exponent ${g.exponent.toFixed(2)} (1 = linear); one more item costs ${g.marginalMsPerItem.toFixed(2)} ms.`);
  }
  return lines.join('\n');
}

export function writeJson(file: string, content: object): void {
  fs.writeFileSync(file, JSON.stringify(content, null, 2));
}
