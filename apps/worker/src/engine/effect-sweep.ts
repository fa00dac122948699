/**
 * The effect sweep: finds action effects left `sending` past their stale time (no attempt in
 * flight and none due: a worker died mid-send and its run will not retry, say because its
 * workflow was terminated) and re-sends each under its same idempotency key. Chosen over
 * "leave it for a person" because the key makes a re-send safe at a receiver that honours it,
 * and the promise is delivery at least once; what cannot be delivered (refused, or unreachable
 * for SWEEP_RESENDS sweeps) ends `failed` with its reason, for a person. Runs when the worker
 * starts and every SWEEP_INTERVAL_MS; rows are leased, so workers sweeping at once share them.
 */
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ActionEffectRepository } from '@opsloop/persistence';
import { ActionActivities, Reconciled } from './action.activities';

export const SWEEP_INTERVAL_MS = 60_000;
// Rows re-sent at once; each waits at most its target's timeout.
const BATCH = 10;

export type SweepReport = Record<Reconciled, number>;

@Injectable()
export class EffectSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private pass: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly effects: ActionEffectRepository,
    private readonly actions: ActionActivities,
    private readonly log: PinoLogger,
  ) {
    log.setContext(EffectSweeper.name);
  }

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops before the DataSource closes (module destroy hooks run before shutdown hooks). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass.catch(() => undefined);
  }

  /** One pass over every stale row; what each came to. */
  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { delivered: 0, failed: 0, unavailable: 0 };
    // A leased row is not stale again within this pass, so the loop ends when the stale rows do.
    while (!this.stopped) {
      const batch = await this.effects.leaseStale(BATCH);
      const results = await Promise.all(batch.map((effect) => this.actions.reconcile(effect)));
      for (const r of results) report[r] += 1;
      if (batch.length < BATCH) break;
    }
    return report;
  }

  private tick(): void {
    this.pass = this.pass.then(() => this.sweep()).then(
      (report) => {
        if (report.delivered + report.failed + report.unavailable > 0) this.log.info({ ...report }, 'effect sweep re-sent stale action effects');
      },
      (err: unknown) => this.log.warn({ err: String(err) }, 'effect sweep failed; next pass in a minute'),
    );
  }
}
