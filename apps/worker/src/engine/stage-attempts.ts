/**
 * One attempt of a long stage, made honest about outages:
 * - it heartbeats every few seconds while it works (also while it waits on threads, a source or
 *   Postgres), so Temporal notices within seconds when its worker dies and retries it elsewhere;
 * - a later attempt first closes the earlier ones that never ended (worker lost, timeout, or they
 *   could not even write their row because Postgres was down) with an `abandoned` row giving the
 *   reason Temporal recorded for the last of them, so the run's timeline reads true;
 * - a failure is classified: opsloop's Postgres unreachable becomes a retryable
 *   DatabaseUnavailable (the workflow keeps retrying until the loop's stage deadline), anything
 *   else is recorded as a `failed` row and passed on as it is.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { abandonReason, AttemptFailure, DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE_PREFIX, openStages, STAGE_HEARTBEAT_EVERY_MS, unclosedAttempts } from '@opsloop/domain';
import { NewStep, RunRepository } from '@opsloop/persistence';
import { WORKER_TEMPORAL_CLIENT } from '../temporal-client.provider';

const PING_TIMEOUT_MS = 3_000;
const DESCRIBE_TIMEOUT_MS = 5_000;
const TIMEOUTS: Record<number, string> = {
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT]: 'heartbeat',
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE]: 'start-to-close',
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE]: 'schedule-to-close',
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START]: 'schedule-to-start',
};

/** The activity's context, or null when called outside an activity (a test calling the method directly). */
function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/** The attempt number of the running activity; 1 outside one. */
export function activityAttempt(): number {
  return activityContext()?.info.attempt ?? 1;
}

/** Runs `work` while heartbeating `detail` now and every few seconds. */
export async function beating<T>(detail: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  const ctx = activityContext();
  if (!ctx) return work();
  const beat = () => ctx.heartbeat({ ...detail, at: new Date().toISOString() });
  beat();
  const timer = setInterval(beat, STAGE_HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

@Injectable()
export class StageAttempts {
  constructor(
    private readonly runs: RunRepository,
    @Inject(WORKER_TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** One attempt of `stage`: started, then completed (with the work's detail) or failed / classified. */
  async run<T>(runId: string, stage: string, work: () => Promise<{ result: T; detail: Record<string, unknown> }>): Promise<T> {
    const attempt = activityAttempt();
    return beating({ runId, stage, attempt }, async () => {
      const started = Date.now();
      try {
        if (attempt > 1) await this.closeEarlier(runId, stage, attempt);
        await this.runs.appendStep({ runId, stage, status: 'started', attempt });
        const { result, detail } = await work();
        await this.runs.appendStep({ runId, stage, status: 'completed', attempt, durationMs: Date.now() - started, detail });
        return result;
      } catch (err) {
        throw await this.failure(runId, stage, attempt, Date.now() - started, err);
      }
    });
  }

  /** Closes every stage of the run left open (the run is failing or was found dead), with the reason. */
  async closeOpen(runId: string, reason: string): Promise<void> {
    for (const open of openStages(await this.runs.steps(runId))) {
      await this.runs.appendStep({ runId, ...abandonedStep(open.stage, { from: open.attempt, to: open.attempt }, reason) });
    }
  }

  /** The abandoned rows a run's open stages get when it ends for `reason` (for the sweeper's transaction). */
  async openStepsClosedBy(runId: string, reason: string): Promise<NewStep[]> {
    return openStages(await this.runs.steps(runId)).map((open) => ({ runId, ...abandonedStep(open.stage, { from: open.attempt, to: open.attempt }, reason) }));
  }

  /** Whether opsloop's own Postgres answers. */
  async databaseReachable(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS)));
    try {
      await Promise.race([this.runs.ping(), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async closeEarlier(runId: string, stage: string, attempt: number): Promise<void> {
    const info = activityContext()?.info;
    // Rows of an earlier execution under the same run (a resent event reopens the run) are not ours.
    const since = info ? info.scheduledTimestampMs - 5000 : 0;
    const steps = (await this.runs.steps(runId)).filter((s) => Date.parse(s.createdAt) >= since);
    const unclosed = unclosedAttempts(steps, stage, attempt);
    if (!unclosed) return;
    const reason = abandonReason(await this.lastFailure());
    await this.runs.appendStep({ runId, ...abandonedStep(stage, unclosed, reason) });
  }

  /** What Temporal recorded as the failure of this activity's previous attempt. */
  private async lastFailure(): Promise<AttemptFailure | null> {
    const info = activityContext()?.info;
    const execution = info?.workflowExecution;
    if (!info || !execution) return null;
    try {
      const described = await this.temporal.connection.withDeadline(Date.now() + DESCRIBE_TIMEOUT_MS, () =>
        this.temporal.workflow.getHandle(execution.workflowId, execution.runId).describe());
      const pending = described.raw.pendingActivities?.find((p) => p.activityId === info.activityId);
      const last = pending?.lastFailure;
      if (!last) return null;
      return {
        message: last.message ?? '',
        timeout: TIMEOUTS[last.timeoutFailureInfo?.timeoutType ?? 0] ?? null,
        type: last.applicationFailureInfo?.type ?? null,
      };
    } catch {
      return null;
    }
  }

  private async failure(runId: string, stage: string, attempt: number, durationMs: number, err: unknown): Promise<unknown> {
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof ApplicationFailure) && !(await this.databaseReachable())) {
      // Nothing can be written now; the attempt that runs once Postgres is back closes this one.
      return ApplicationFailure.retryable(`${DATABASE_UNAVAILABLE_PREFIX}${message}`, DATABASE_UNAVAILABLE);
    }
    try {
      await this.runs.appendStep({ runId, stage, status: 'failed', attempt, durationMs, error: message });
    } catch {
      // Postgres went away between the check and the write: the next attempt closes this one as abandoned.
    }
    return err;
  }
}

function abandonedStep(stage: string, attempts: { from: number; to: number }, reason: string): Omit<NewStep, 'runId'> {
  const which = attempts.from === attempts.to ? `attempt ${attempts.to}` : `attempts ${attempts.from}–${attempts.to}`;
  return {
    stage, status: 'abandoned', attempt: attempts.to, error: `${which} ended without finishing: ${reason}`,
    detail: { attempts: { from: attempts.from, to: attempts.to }, reason },
  };
}
