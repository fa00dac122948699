// `npm run -s opsloop -- receiver`: the webhook target the README's "Run a loop" starts in a second terminal.
import { freePort } from '@opsloop/devstack';
import { cleanEnv, runEntry, waitForOutput } from '../support/spawn';

const receiver = (...args: string[]) => runEntry('apps/cli/src/main.ts', cleanEnv({}), ['receiver', ...args]);

describe('opsloop receiver', () => {
  it('prints each request with its Idempotency-Key and body, answers with --status, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = receiver('--port', String(port), '--status', '503');
    try {
      await waitForOutput(run.output, /receiver listening on http:\/\/127\.0\.0\.1:\d+\/ \(answers 503\)/, 60_000, run.done);
      const res = await fetch(`http://127.0.0.1:${port}/alerts`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'opsloop-decision-1' },
        body: JSON.stringify({ subject: 'cpu.eu', action: { value: 97 } }),
      });
      expect(res.status).toBe(503);
      await waitForOutput(run.output, /"value": 97/, 10_000, run.done);
      expect(run.output()).toMatch(/ POST \/alerts {2}Idempotency-Key: opsloop-decision-1\n\{\n {2}"subject": "cpu\.eu",/);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect((await run.done).code).toBe(0);
  });

  it('exits 2 naming a bad option or a port already in use', async () => {
    const bad = await receiver('--port', 'ninety').done;
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--port must be a whole number from 1 to 65535');

    const port = await freePort();
    const first = receiver('--port', String(port));
    try {
      await waitForOutput(first.output, /receiver listening/, 60_000, first.done);
      const second = await receiver('--port', String(port)).done;
      expect(second.code).toBe(2);
      expect(second.output).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      first.child.kill('SIGTERM');
      await first.done;
    }
  });
});
