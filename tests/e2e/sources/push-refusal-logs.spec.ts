/**
 * A refused push is expected user input, not a server fault: the API runs as its own process at
 * log level info, takes malformed and over-size pushes, and its whole output is searched. No
 * error-level line, no stack, none of the pushed data, and one line per request.
 */
import { freePort } from '@opsloop/devstack';
import { eventually } from '../../support/eventually';
import { runEntry } from '../../support/spawn';
import { TEST_ADMIN_KEY } from '../../support/constants';

const MARKER = 'ROW-DATA-7f3a';

describe('refused pushes in the API log', () => {
  it('are one info line each, without an error, a stack or the rows', async () => {
    const port = await freePort();
    const run = runEntry('apps/api/src/main.ts', { ...process.env, PORT: String(port), LOG_LEVEL: 'info', INGEST_MAX_ROW_BYTES: '4096' });
    const statuses: number[] = [];
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the API to listen', 60_000);
      const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
      const source = await fetch(`${base}/api/v1/sources`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `refusals ${port}`, kind: 'push',
          schema: { fields: [{ name: 'sku', type: 'string', required: true }, { name: 'ts', type: 'timestamp', required: true }], uniqueKey: ['sku', 'ts'], timeField: 'ts', seriesKey: ['sku'], dimensions: [] },
        }),
      });
      expect(source.status).toBe(201);
      const { id } = (await source.json()) as { id: string };
      const rows = Array.from({ length: 2000 }, (_, i) => `{"sku":"${MARKER}-${i}","ts":"2024-01-01"}`);
      for (const [type, body] of [
        ['application/json', `[${rows.join(',')},{"sku": "${MARKER}", "ts": }]`],
        ['application/x-ndjson', `${rows.join('\n')}\n{"sku":"${MARKER}${'x'.repeat(5000)}"}\n`],
        ['text/csv', `sku,ts\n${MARKER},2024-01-01\n${MARKER}\n`],
      ]) {
        const res = await fetch(`${base}/api/v1/sources/${id}/observations`, { method: 'POST', headers: { ...headers, 'content-type': type! }, body });
        statuses.push(res.status);
        await res.text();
      }
    } finally {
      run.child.kill('SIGTERM');
    }
    const { output } = await run.done;
    expect(statuses).toEqual([400, 413, 400]);
    const lines = output.split('\n').filter((l) => l.includes('/observations') && !l.includes('RouterExplorer'));
    expect(lines.map((l) => JSON.parse(l) as { level: number; res: { statusCode: number } }).map((l) => [l.level, l.res.statusCode])).toEqual([[30, 400], [30, 413], [30, 400]]);
    expect(output).not.toMatch(/"level":(50|60)/);
    expect(output).not.toMatch(/COPY|stack|\n\s+at /);
    expect(output).not.toContain(MARKER);
  });
});
