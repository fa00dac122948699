// `npm run -s opsloop -- forecast` as users run it: JSON on stdin, JSON on stdout, exit 2 naming the field.
import { spawn } from 'node:child_process';
import { cleanEnv, ROOT } from '../support/spawn';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function forecastCli(stdin: string): Promise<Run> {
  const child = spawn('npm', ['run', '-s', 'opsloop', '--', 'forecast'], { cwd: ROOT, env: cleanEnv({}), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

// Two years of monthly airline passengers (thousands), the classic seasonal series.
const AIRLINE = [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140];

describe('opsloop forecast', () => {
  it('answers one request with exactly method, point, lower and upper', async () => {
    const { code, stdout, stderr } = await forecastCli(JSON.stringify({ values: AIRLINE, horizon: 6, seasonPeriod: 12 }));
    expect(stderr).not.toContain('opsloop forecast:');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['lower', 'method', 'point', 'upper']);
    expect(typeof out.method).toBe('string');
    for (const key of ['point', 'lower', 'upper']) expect(out[key]).toHaveLength(6);
    out.point.forEach((p: number, k: number) => {
      expect(out.lower[k]).toBeLessThanOrEqual(p);
      expect(out.upper[k]).toBeGreaterThanOrEqual(p);
    });
  });

  it('answers a batch with an array in the same order, honouring each method', async () => {
    const batch = [
      { values: [10, 12, 14, 16, 18, 20, 22], horizon: 3, method: 'holt' },
      { values: [5, 5, 5, 5], horizon: 2, level: 0.8 },
      { values: AIRLINE, horizon: 12, seasonPeriod: 12, method: 'holt-winters-multiplicative' },
    ];
    const { code, stdout } = await forecastCli(JSON.stringify(batch));
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(3);
    expect(out[0].method).toBe('holt');
    out[0].point.forEach((p: number, k: number) => expect(p).toBeCloseTo(24 + 2 * k, 6));
    expect(out[1].point).toEqual([5, 5]);
    expect(out[2].method).toBe('holt-winters-multiplicative');
    expect(out[2].point).toHaveLength(12);
    for (const item of out) expect(Object.keys(item).sort()).toEqual(['lower', 'method', 'point', 'upper']);
  });

  it('exits 2 naming the request and field of an invalid value, printing nothing on stdout', async () => {
    const { code, stdout, stderr } = await forecastCli('[{"values":[1,2,3],"horizon":1},{"values":[1,2,"seven"],"horizon":1}]');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('[1].values[2]: must be a finite number');
  });

  it('exits 2 naming horizon, seasonPeriod or method when they are wrong', async () => {
    const cases: [object, string][] = [
      [{ values: [1, 2, 3], horizon: -1 }, 'horizon: must be a positive integer'],
      [{ values: [1, 2, 3], horizon: 2, seasonPeriod: 7 }, 'seasonPeriod: must be an integer ≥ 2 and < values.length'],
      [{ values: [1, 2, 3], horizon: 2, method: 'magic' }, 'method: unknown method "magic"'],
    ];
    const runs = await Promise.all(cases.map(([request]) => forecastCli(JSON.stringify(request))));
    runs.forEach(({ code, stderr }, i) => {
      expect(code).toBe(2);
      expect(stderr).toContain(cases[i][1]);
    });
  });

  it('exits 2 when stdin is not JSON', async () => {
    const { code, stderr } = await forecastCli('values: 1, 2, 3');
    expect(code).toBe(2);
    expect(stderr).toContain('stdin is not valid JSON');
  });
});
