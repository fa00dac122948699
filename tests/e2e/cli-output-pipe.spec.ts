/**
 * CLI output read through a real pipe by a slow reader, as `opsloop forecast < batch.json | next-tool`
 * does: every byte must arrive before the process exits, not just the pipe's first 64 KiB.
 */
import { spawn } from 'node:child_process';
import { cleanEnv, ROOT } from '../support/spawn';

interface PipedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run -s opsloop -- <args>` with stdout on a pipe whose reader pauses after every chunk,
 * so the pipe is full whenever the command writes its last bytes.
 */
function throughSlowPipe(args: string[], stdin = ''): Promise<PipedRun> {
  const child = spawn('npm', ['run', '-s', 'opsloop', '--', ...args], { cwd: ROOT, env: cleanEnv({}), stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 20);
  });
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr })));
}

/** 1,500 daily series of four months each, with a weekly pattern and a per-series trend. */
function largeBatch(): { values: number[]; horizon: number }[] {
  return Array.from({ length: 1500 }, (_, i) => ({
    values: Array.from({ length: 120 }, (_, t) => 100 + Math.round(20 * Math.sin((2 * Math.PI * t) / 7 + i) + (t * (i % 7)) / 10 + ((t * 37) % 11))),
    horizon: 28,
  }));
}

describe('CLI output through a pipe', () => {
  it('prints the whole answer to a multi-megabyte forecast batch, one result per request in order', async () => {
    const batch = largeBatch();
    const { code, stdout, stderr } = await throughSlowPipe(['forecast'], JSON.stringify(batch));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Buffer.byteLength(stdout)).toBeGreaterThan(2 * 1024 * 1024);
    const results = JSON.parse(stdout) as { point: number[]; lower: number[]; upper: number[] }[];
    expect(results).toHaveLength(batch.length);
    for (const r of results) expect([r.point.length, r.lower.length, r.upper.length]).toEqual([28, 28, 28]);
  });

  it('streams every simulate trace row to a slow pipe with --trace -, and the summary to stderr', async () => {
    const { code, stdout, stderr } = await throughSlowPipe(
      ['simulate', 'replenishment', '--scenario', 'bench/replenishment/scenarios/trend.json', '--trace', '-'],
    );
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { policy: string; day: number });
    // trend.json: 6 items over 730 days, the first 365 warm-up, for each of the 2 policies.
    expect(rows).toHaveLength(2 * 6 * 365);
    expect(rows.at(-1)).toMatchObject({ policy: 'static-minmax', day: 729 });
    const { policies } = JSON.parse(stderr) as { policies: { name: string }[] };
    expect(policies.map((p) => p.name)).toEqual(['opsloop', 'static-minmax']);
  });
});
