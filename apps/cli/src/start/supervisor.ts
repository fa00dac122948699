/**
 * `npm start`'s supervisor: watches each process of the stack and starts again, with backoff, one
 * that ended on its own (restart-policy.ts decides when and when to give up). A restarted process
 * counts as back only once it is ready again (the API answers /health/ready, the worker polls).
 * Everything stops on `stop()` (Ctrl-C), or after `gaveUp` settles, apps first, then the servers.
 */
import { ChildExit, describeExit } from '@opsloop/devstack';
import { RecentLines } from './recent-lines';
import { afterExit, DEFAULT_RESTART_POLICY, FRESH_RESTART_STATE, RestartPolicy, RestartState } from './restart-policy';

/** One run of a process. */
export interface Run {
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
  pid?: number;
}

export interface Service {
  name: string;
  /** Stop order: higher tiers stop first (the apps before the servers they use). */
  tier: number;
  recent: RecentLines;
  /** Services that must be up before this one is started again. */
  needs: string[];
  launch(): Promise<Run>;
  /** Resolves once `run` is ready, rejects when it is not in time. Absent: ready once launched. */
  ready?(run: Run, abort: Promise<unknown>): Promise<void>;
}

export interface GaveUp {
  name: string;
  exit: ChildExit;
  crashes: number;
  lines: string[];
}

interface Entry {
  service: Service;
  state: RestartState;
  run: Run | null;
  up: boolean;
  markReady: () => void;
  readyOnce: Promise<void>;
  loop: Promise<void>;
}

interface EndedRun {
  exit: ChildExit;
  upMs: number | null;
}

const NEEDS_POLL_MS = 200;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((r) => (this.signalStop = r));
  private signalGiveUp: (g: GaveUp) => void = () => undefined;
  /** Settles when a process kept crashing at start: the caller stops everything. */
  readonly gaveUp = new Promise<GaveUp>((r) => (this.signalGiveUp = r));

  constructor(
    private readonly log: (line: string) => void,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  /** Watches a process that already runs and is ready (the servers started before the apps). */
  adopt(service: Service, run: Run): void {
    this.add(service, run);
  }

  /** Starts a process and watches it from now on. */
  launch(service: Service): void {
    this.add(service, null);
  }

  /** Resolves once each named process has been ready once (never, if it gives up first). */
  async readyOnce(names: string[]): Promise<void> {
    await Promise.all(names.map((n) => this.entries.get(n)?.readyOnce));
  }

  /**
   * No more restarts from now on. Called as soon as Ctrl-C arrives: the terminal sends SIGINT to
   * the children too, and their exits are the stop, not crashes to restart.
   */
  halt(): void {
    this.stopping = true;
    this.signalStop();
  }

  /** No more restarts; stops every process, highest tier first, after any start in flight. */
  async stop(): Promise<void> {
    this.halt();
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((e) => e.loop));
    const tiers = [...new Set(entries.map((e) => e.service.tier))].sort((a, b) => b - a);
    for (const tier of tiers) {
      await Promise.all(entries.filter((e) => e.service.tier === tier).map((e) => e.run?.stop()));
    }
  }

  private add(service: Service, adopted: Run | null): void {
    let markReady: () => void = () => undefined;
    const readyOnce = new Promise<void>((r) => (markReady = r));
    const entry: Entry = { service, state: FRESH_RESTART_STATE, run: adopted, up: false, markReady, readyOnce, loop: Promise.resolve() };
    this.entries.set(service.name, entry);
    entry.loop = this.watch(entry, adopted).catch((err: unknown) => {
      // A fault in the supervisor itself must not leave the stack half-watched: give up loudly.
      this.log(`supervising ${service.name} failed: ${err instanceof Error ? err.stack : String(err)}`);
      this.signalGiveUp({ name: service.name, exit: { code: null, signal: null, error: String(err) }, crashes: 0, lines: [] });
    });
  }

  private async watch(e: Entry, adopted: Run | null): Promise<void> {
    let run = adopted;
    let downAt: number | null = null;
    for (;;) {
      const ended = await this.live(e, run, downAt);
      run = null;
      if (!ended || this.stopping) return;
      if (ended.upMs !== null) downAt = null;
      const verdict = afterExit(e.state, { upMs: ended.upMs }, this.policy);
      e.state = verdict.state;
      if (!verdict.restart) return this.giveUp(e, ended.exit, verdict.startCrashes);
      downAt ??= Date.now();
      this.log(`${e.service.name} exited (${describeExit(ended.exit)}); restarting in ${verdict.delayMs / 1000} s (restart ${verdict.state.restarts})`);
      if (await this.pause(verdict.delayMs)) return;
    }
  }

  /**
   * One run, from its start to its end; null when stopping cut it short. `downAt` is when the
   * previous run ended, for the "back" line.
   */
  private async live(e: Entry, adopted: Run | null, downAt: number | null): Promise<EndedRun | null> {
    let run = adopted;
    if (!run) {
      if (!(await this.needsUp(e))) return null;
      e.service.recent.clear();
      try {
        run = e.run = await e.service.launch();
      } catch (err) {
        return this.stopping ? null : { exit: { code: null, signal: null, error: `failed to start: ${message(err)}` }, upMs: null };
      }
      if (this.stopping) return null;
      const ready = await this.untilReady(e, run);
      if (ready === 'stopping') return null;
      if (ready !== 'ready') return { exit: ready, upMs: null };
    }
    const readyAt = Date.now();
    e.up = true;
    e.markReady();
    if (downAt !== null) this.log(`${e.service.name} back (ready ${seconds(readyAt - downAt)} after it exited)`);
    const exit = await Promise.race([run.exited, this.stopped.then(() => null)]);
    e.up = false;
    return exit ? { exit, upMs: Date.now() - readyAt } : null;
  }

  private async untilReady(e: Entry, run: Run): Promise<'ready' | 'stopping' | ChildExit> {
    if (!e.service.ready) return 'ready';
    const abort = Promise.race([run.exited, this.stopped]);
    const outcome = await Promise.race([
      e.service.ready(run, abort).then(() => 'ready' as const, (err: unknown) => new Error(message(err))),
      run.exited,
      this.stopped.then(() => 'stopping' as const),
    ]);
    if (!(outcome instanceof Error)) return outcome;
    // Alive but never ready: stop it and count it like a crash at start.
    await run.stop();
    return { code: null, signal: null, error: `not ready: ${outcome.message}` };
  }

  /** Waits until the services this one needs are up; false when stopping came first. */
  private async needsUp(e: Entry): Promise<boolean> {
    const needs = e.service.needs.map((n) => this.entries.get(n)).filter((n): n is Entry => n !== undefined);
    while (!this.stopping && needs.some((n) => !n.up)) await this.pause(NEEDS_POLL_MS);
    return !this.stopping;
  }

  /** Sleeps; true when stopping cut it short. */
  private async pause(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const slept = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const cut = await Promise.race([slept, this.stopped.then(() => true)]);
    clearTimeout(timer);
    return cut;
  }

  private giveUp(e: Entry, exit: ChildExit, crashes: number): void {
    const { name } = e.service;
    const lines = e.service.recent.lines();
    this.log(`${name} keeps crashing at start (${crashes} times in a row, last: ${describeExit(exit)}); stopping everything`);
    if (lines.length === 0) this.log(`${name} printed nothing`);
    else {
      this.log(`last ${lines.length} lines from ${name}:`);
      for (const line of lines) this.log(`  | ${line}`);
    }
    this.signalGiveUp({ name, exit, crashes, lines });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
