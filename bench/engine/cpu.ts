/**
 * CPU used while a phase runs, split between this process (client, worker and activities), the
 * Temporal dev server, the embedded Postgres and the whole machine (Linux /proc), to tell a
 * saturated 2-core box, a busy server and a slow engine apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { round } from './stats';

/** How to find the servers the bench started; null when they are external (not on this box). */
export interface ServerProcesses {
  temporalPort: number | null;
  pgDataDir: string | null;
}

export interface CpuUse {
  /** Cores' worth of CPU each used on average over the phase (1 = one core fully busy). */
  benchProcess: number;
  temporalServer: number | null;
  postgres: number | null;
  /** Everything on the machine, other people's processes included. */
  machine: number;
  cores: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Proc { pid: number; ppid: number; ticks: number; cmdline: string }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      // utime + stime, plus cutime + cstime: a Postgres backend that exited is counted in its parent.
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      out.push({ pid: Number(name), ppid: Number(fields[1]), ticks, cmdline });
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** Ticks of the process matching `isRoot` and all its descendants (Postgres backends are children). */
function treeTicks(procs: Proc[], isRoot: (p: Proc) => boolean): number | null {
  const roots = procs.filter(isRoot);
  if (roots.length === 0) return null;
  const inTree = new Set(roots.map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (inTree.has(p.pid) || !inTree.has(p.ppid)) continue;
      inTree.add(p.pid);
      grew = true;
    }
  }
  return procs.filter((p) => inTree.has(p.pid)).reduce((s, p) => s + p.ticks, 0);
}

function machineTicks(): number {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return cpu.slice(0, 8).reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0); // minus idle and iowait
}

function snapshot(servers: ServerProcesses) {
  const procs = processes();
  const port = servers.temporalPort;
  const dataDir = servers.pgDataDir;
  return {
    at: performance.now(),
    self: process.cpuUsage(),
    temporal: port === null ? null : treeTicks(procs, (p) => p.cmdline.includes('start-dev') && p.cmdline.includes(`--port ${port} `)),
    postgres: dataDir === null ? null : treeTicks(procs, (p) => p.cmdline.includes(`-D ${dataDir} `)),
    machine: fs.existsSync('/proc/stat') ? machineTicks() : Number.NaN,
  };
}

export async function measureCpu<T>(servers: ServerProcesses, work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const before = snapshot(servers);
  const result = await work();
  const after = snapshot(servers);
  const seconds = (after.at - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const ticks = (a: number | null, b: number | null) => (a === null || b === null ? null : round((b - a) / TICKS_PER_SECOND / seconds));
  return {
    result,
    cpu: {
      benchProcess: round((self.user + self.system) / 1e6 / seconds),
      temporalServer: ticks(before.temporal, after.temporal),
      postgres: ticks(before.postgres, after.postgres),
      machine: ticks(before.machine, after.machine) ?? Number.NaN,
      cores: os.cpus().length,
    },
  };
}
