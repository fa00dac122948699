/**
 * The run sweeper: finds run rows still open (running, awaiting approval, acting) well after they
 * started, asks Temporal whether their workflow is still going, and for one that has closed
 * (failed, terminated, timed out, completed, or gone) records the true final status with the
 * reason, closing any stage left `started` as abandoned. This is what catches a run whose own
 * cleanup could not reach Postgres, or whose workflow someone terminated.
 *
 * Safe with several workers: the row moves only from the status the sweeper saw (one UPDATE
 * with its step rows in one transaction), so a second sweeper finds nothing left to do.
 * Runs when the worker starts and every RUN_SWEEP_INTERVAL_MS.
 */
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Client, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ClosedWorkflow, RunRecord, sweptRunVerdict } from '@opsloop/domain';
import { RunRepository } from '@opsloop/persistence';
import { WORKER_TEMPORAL_CLIENT } from '../temporal-client.provider';
import { StageAttempts } from './stage-attempts';

export const RUN_SWEEP_INTERVAL_MS = 60_000;
/** A run this young is left alone: its workflow is most likely just busy. */
export const RUN_SWEEP_MIN_AGE_MS = 5 * 60_000;
/** A run whose workflow still runs (a long approval wait, say) is asked about again after this long. */
const RECHECK_RUNNING_MS = 5 * 60_000;
const CANDIDATES = 2_000;
const CHECKS_PER_PASS = 200;
const DESCRIBE_TIMEOUT_MS = 10_000;

type Failure = temporal.api.failure.v1.IFailure;

export interface RunSweepReport {
  checked: number;
  settled: number;
}

@Injectable()
export class RunSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private pass: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly recheckAt = new Map<string, number>();

  constructor(
    private readonly runs: RunRepository,
    private readonly attempts: StageAttempts,
    @Inject(WORKER_TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly log: PinoLogger,
  ) {
    log.setContext(RunSweeper.name);
  }

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), RUN_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass.catch(() => undefined);
  }

  /** One pass; `minAgeMs` lets a test sweep a run it just made. */
  async sweep(opts: { minAgeMs?: number } = {}): Promise<RunSweepReport> {
    const now = Date.now();
    const candidates = await this.runs.unsettled(new Date(now - (opts.minAgeMs ?? RUN_SWEEP_MIN_AGE_MS)), CANDIDATES);
    const due = candidates.filter((r) => (this.recheckAt.get(r.id) ?? 0) <= now).slice(0, CHECKS_PER_PASS);
    const report: RunSweepReport = { checked: 0, settled: 0 };
    for (const run of due) {
      if (this.stopped) break;
      report.checked += 1;
      if (await this.reconcile(run, now)) report.settled += 1;
    }
    return report;
  }

  private async reconcile(run: RunRecord, now: number): Promise<boolean> {
    const closed = await this.closedWorkflow(run.workflowId);
    if (!closed) {
      this.recheckAt.set(run.id, now + RECHECK_RUNNING_MS);
      return false;
    }
    this.recheckAt.delete(run.id);
    const verdict = sweptRunVerdict(closed);
    if (!verdict) return false;
    const why = verdict.error ?? `its workflow ${closed.status}`;
    const steps = [
      ...await this.attempts.openStepsClosedBy(run.id, why),
      {
        runId: run.id, stage: 'reconcile', status: verdict.status === 'failed' ? 'failed' as const : 'completed' as const, error: verdict.error ?? undefined,
        detail: { by: 'run sweeper', workflow: closed.status, was: run.status, now: verdict.status },
      },
    ];
    const settled = await this.runs.settle(run.id, run.status, verdict.status, verdict.error, steps);
    if (settled) this.log.info({ runId: run.id, workflowId: run.workflowId, was: run.status, now: verdict.status, why }, 'run sweeper settled a run whose workflow had closed');
    return settled;
  }

  /** How the run's workflow ended; null while it still runs. */
  private async closedWorkflow(workflowId: string): Promise<ClosedWorkflow | null> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    let status: string;
    let runId: string;
    try {
      const d = await this.bounded(() => handle.describe());
      status = d.status.name;
      runId = d.runId;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'not-found' };
      throw err;
    }
    switch (status) {
      case 'RUNNING':
      case 'CONTINUED_AS_NEW':
        return null;
      case 'TIMED_OUT':
        return { status: 'timed-out' };
      case 'CANCELLED':
        return { status: 'cancelled' };
    }
    const close = await this.closeEvent(handle, runId);
    if (status === 'COMPLETED') {
      const payload = close?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
      return { status: 'completed', result: payload ? defaultPayloadConverter.fromPayload<{ status?: string }>(payload) : null };
    }
    if (status === 'TERMINATED') return { status: 'terminated', reason: close?.workflowExecutionTerminatedEventAttributes?.reason || null };
    return { status: 'failed', message: failureText(close?.workflowExecutionFailedEventAttributes?.failure) };
  }

  /** Only the close event of the execution, however long its history. */
  private async closeEvent(handle: WorkflowHandle, runId: string): Promise<temporal.api.history.v1.IHistoryEvent | undefined> {
    const res = await this.bounded(() => this.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: this.temporal.options.namespace,
      execution: { workflowId: handle.workflowId, runId },
      historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    }));
    return res.history?.events?.[0];
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + DESCRIBE_TIMEOUT_MS, fn);
  }

  private tick(): void {
    this.pass = this.pass.then(() => this.sweep()).then(
      (report) => {
        if (report.settled > 0) this.log.info({ ...report }, 'run sweep settled runs whose workflow had closed');
      },
      (err: unknown) => this.log.warn({ err: String(err) }, 'run sweep failed; next pass in a minute'),
    );
  }
}

/** The activity's own error rather than its wrapper, as the run's other failure messages read. */
function failureText(f: Failure | null | undefined): string {
  if (!f) return 'no failure recorded';
  if (f.activityFailureInfo && f.cause) return failureText(f.cause);
  return f.message ?? 'no message';
}
