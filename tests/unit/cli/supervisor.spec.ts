import { ChildExit } from '@opsloop/devstack';
import { RecentLines } from '../../../apps/cli/src/start/recent-lines';
import { RestartPolicy } from '../../../apps/cli/src/start/restart-policy';
import { Run, Service, Supervisor } from '../../../apps/cli/src/start/supervisor';

const POLICY: RestartPolicy = { firstDelayMs: 10, maxDelayMs: 40, stableAfterMs: 1_000, startCrashWindowMs: 50, maxStartCrashes: 3 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A process under test control: each launch makes a run the test can end, or make ready. */
class FakeProcess {
  readonly runs: { end: (e: ChildExit) => void; ready: () => void; isReady: Promise<void>; stopped: boolean; run: Run }[] = [];
  readonly recent = new RecentLines();
  readonly events: string[];

  constructor(readonly name: string, events: string[], private readonly opts: { readyAtOnce?: boolean; onLaunch?: (n: number) => string[] } = {}) {
    this.events = events;
  }

  service(tier: number, needs: string[] = []): Service {
    return {
      name: this.name, tier, recent: this.recent, needs,
      launch: async () => this.launch(),
      ready: async (run, abort) => {
        const entry = this.runs.find((r) => r.run === run)!;
        await Promise.race([entry.isReady, abort.then(() => Promise.reject(new Error('aborted')))]);
        if (this.opts.readyAtOnce === false) throw new Error('readiness probe timed out');
      },
    };
  }

  launch(): Run {
    for (const line of this.opts.onLaunch?.(this.runs.length + 1) ?? []) this.recent.push(line);
    let end: (e: ChildExit) => void = () => undefined;
    const exited = new Promise<ChildExit>((r) => (end = r));
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((r) => (ready = r));
    const entry = { end, ready, isReady, stopped: false, run: undefined as unknown as Run };
    entry.run = {
      exited,
      stop: async () => {
        entry.stopped = true;
        this.events.push(`stop ${this.name}`);
        end({ code: null, signal: 'SIGTERM' });
      },
    };
    this.runs.push(entry);
    this.events.push(`launch ${this.name}`);
    return entry.run;
  }

  get last() {
    return this.runs[this.runs.length - 1]!;
  }
}

describe('npm start supervisor', () => {
  let log: string[];
  let events: string[];
  let supervisor: Supervisor;
  beforeEach(() => {
    log = [];
    events = [];
    supervisor = new Supervisor((l) => log.push(l), POLICY);
  });
  afterEach(() => supervisor.stop());

  it('restarts a process that died, says why, and calls it back only once it is ready again', async () => {
    const worker = new FakeProcess('worker', events);
    supervisor.launch(worker.service(2));
    await until(() => worker.runs.length === 1, 'first launch');
    worker.last.ready();
    await supervisor.readyOnce(['worker']);

    worker.last.end({ code: null, signal: 'SIGKILL' });
    await until(() => worker.runs.length === 2, 'restart');
    expect(log).toEqual(['worker exited (signal SIGKILL); restarting in 0.01 s (restart 1)']);
    await sleep(30);
    expect(log.some((l) => l.startsWith('worker back'))).toBe(false);
    worker.last.ready();
    await until(() => log.length === 2, 'back line');
    expect(log[1]).toMatch(/^worker back \(ready \d+\.\d s after it exited\)$/);
  });

  it('gives up on a process that keeps crashing at start, showing what its last run printed', async () => {
    const api = new FakeProcess('api', events, { onLaunch: (n) => [`starting, try ${n}`, `listen EADDRINUSE 127.0.0.1:3000 (try ${n})`] });
    supervisor.launch(api.service(2));
    for (let n = 1; n <= 3; n++) {
      await until(() => api.runs.length === n, `launch ${n}`);
      api.last.end({ code: 1, signal: null });
    }
    const gaveUp = await supervisor.gaveUp;
    expect(gaveUp).toMatchObject({ name: 'api', crashes: 3, lines: ['starting, try 3', 'listen EADDRINUSE 127.0.0.1:3000 (try 3)'] });
    expect(log.slice(-4)).toEqual([
      'api keeps crashing at start (3 times in a row, last: code 1); stopping everything',
      'last 2 lines from api:',
      '  | starting, try 3',
      '  | listen EADDRINUSE 127.0.0.1:3000 (try 3)',
    ]);
    await sleep(50);
    expect(api.runs).toHaveLength(3);
  });

  it('stops a run that never gets ready and counts it as a crash at start', async () => {
    const worker = new FakeProcess('worker', events, { readyAtOnce: false });
    supervisor.launch(worker.service(2));
    for (let n = 1; n <= 3; n++) {
      await until(() => worker.runs.length === n, `launch ${n}`);
      worker.last.ready();
    }
    const gaveUp = await supervisor.gaveUp;
    expect(gaveUp.exit.error).toBe('not ready: readiness probe timed out');
    expect(worker.runs.every((r) => r.stopped)).toBe(true);
  });

  it('restarts an app only once the servers it needs are up again', async () => {
    const postgres = new FakeProcess('postgres', events);
    const api = new FakeProcess('api', events);
    supervisor.adopt(postgres.service(0), postgres.launch());
    supervisor.launch(api.service(2, ['postgres']));
    await until(() => api.runs.length === 1, 'api launch');
    api.last.ready();

    postgres.last.end({ code: null, signal: 'SIGKILL' });
    api.last.end({ code: 1, signal: null });
    await until(() => postgres.runs.length === 2, 'postgres restart');
    await sleep(60);
    expect(api.runs).toHaveLength(1);
    postgres.last.ready();
    await until(() => api.runs.length === 2, 'api restart after postgres is back');
    expect(events.indexOf('launch api', 2)).toBeGreaterThan(events.lastIndexOf('launch postgres'));
  });

  it('on stop during a restart delay, starts nothing again and returns at once', async () => {
    const slow = new Supervisor((l) => log.push(l), { ...POLICY, firstDelayMs: 60_000, maxDelayMs: 60_000 });
    const worker = new FakeProcess('worker', events);
    slow.launch(worker.service(2));
    await until(() => worker.runs.length === 1, 'launch');
    worker.last.ready();
    worker.last.end({ code: 1, signal: null });
    await until(() => log.length === 1, 'the restart line');
    expect(log[0]).toBe('worker exited (code 1); restarting in 60 s (restart 1)');
    const asked = Date.now();
    await slow.stop();
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(worker.runs).toHaveLength(1);
  });

  it('once halted (Ctrl-C), takes the exits the signal causes for the stop and reports nothing', async () => {
    const worker = new FakeProcess('worker', events);
    supervisor.launch(worker.service(2));
    await until(() => worker.runs.length === 1, 'launch');
    worker.last.ready();
    await supervisor.readyOnce(['worker']);
    supervisor.halt();
    worker.last.end({ code: 0, signal: null });
    await sleep(50);
    expect(worker.runs).toHaveLength(1);
    expect(log).toEqual([]);
  });

  it('on stop, restarts nothing more and stops the apps before the servers', async () => {
    const postgres = new FakeProcess('postgres', events);
    const temporal = new FakeProcess('temporal', events);
    const worker = new FakeProcess('worker', events);
    supervisor.adopt(postgres.service(0), postgres.launch());
    supervisor.adopt(temporal.service(1), temporal.launch());
    supervisor.launch(worker.service(2, ['postgres', 'temporal']));
    await until(() => worker.runs.length === 1, 'worker launch');
    worker.last.ready();
    await supervisor.readyOnce(['postgres', 'temporal', 'worker']);

    events.length = 0;
    await supervisor.stop();
    expect(events).toEqual(['stop worker', 'stop temporal', 'stop postgres']);
    await sleep(50);
    expect(worker.runs).toHaveLength(1);
    expect(log).toEqual([]);
  });
});
