/**
 * The worker's resident memory during one run, two ways: the kernel's own peak (VmHWM, reset
 * before the run by writing 5 to /proc/<pid>/clear_refs) and VmRSS sampled every 200 ms. The
 * kernel peak misses nothing; the samples show that the reset worked and when memory peaked.
 */
import fs from 'node:fs';

const SAMPLE_EVERY_MS = 200;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb);
}

export const rssMiB = (pid: number) => statusKb(pid, 'VmRSS') / 1024;
export const peakMiB = (pid: number) => statusKb(pid, 'VmHWM') / 1024;

/** Resets the kernel's peak to the current RSS; false where the kernel does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface MemoryDuringRun {
  rssBeforeMiB: number;
  /** VmHWM after the run; since the worker started when the reset was refused. */
  kernelPeakMiB: number;
  peakWasReset: boolean;
  sampledPeakMiB: number;
  /** Seconds from the start of the run to the highest sample. */
  sampledPeakAtS: number;
}

export function watchMemory(pid: number): { stop(): MemoryDuringRun } {
  const peakWasReset = resetPeak(pid);
  const started = Date.now();
  const rssBeforeMiB = rssMiB(pid);
  let sampled = { mib: rssBeforeMiB, at: 0 };
  const timer = setInterval(() => {
    try {
      const mib = rssMiB(pid);
      if (mib > sampled.mib) sampled = { mib, at: (Date.now() - started) / 1000 };
    } catch {
      // the worker is gone; the run will fail and say so
    }
  }, SAMPLE_EVERY_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return { rssBeforeMiB, kernelPeakMiB: peakMiB(pid), peakWasReset, sampledPeakMiB: sampled.mib, sampledPeakAtS: sampled.at };
    },
  };
}
