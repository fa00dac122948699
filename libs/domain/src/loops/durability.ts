/**
 * How runs ride out outages, as pure rules shared by the API, the worker and the workflows:
 * how long a stage keeps retrying (the loop's stage deadline), how fast a lost worker is noticed
 * (heartbeats), how far back a missed scheduled fire is still made up (the catch-up window), how
 * an attempt that never finished is worded in the run's timeline, and what a run row should say
 * once its workflow has closed. No I/O here.
 */
import { formatInstant } from '../text/number-text';
import { cronCalendar, nextCronFire } from './cron-calendar';
import type { LoopTrigger } from './loop-config';
import type { StepRecord } from './records';
import type { RunStatus } from './run-state';

/** How long one stage may keep retrying through outages (Postgres, Temporal, a source) before the run fails. */
export const DEFAULT_STAGE_DEADLINE_SECONDS = 3600;
export const MIN_STAGE_DEADLINE_SECONDS = 60;
export const MAX_STAGE_DEADLINE_SECONDS = 7 * 86_400;

/** Long enough that a nightly fire missed during a 2-hour Temporal outage still runs (once). */
export const DEFAULT_CATCHUP_WINDOW_SECONDS = 6 * 3600;
/** Temporal's own floor for a Schedule's catch-up window. */
export const MIN_CATCHUP_WINDOW_SECONDS = 10;
export const MAX_CATCHUP_WINDOW_SECONDS = 31 * 86_400;

/**
 * Retries of activities that only need Postgres, Temporal or a source: 1, 2, 4, 8 s, then every
 * 15 s until the stage deadline. The cap is the longest a run lags behind a recovered dependency.
 */
export const OUTAGE_RETRY = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 15_000 } as const;

/** A stage on a worker that died is retried once Temporal has missed its heartbeats this long. */
export const STAGE_HEARTBEAT_TIMEOUT_MS = 20_000;
/** How often a running stage beats (the SDK sends at most one per 0.8 × the timeout). */
export const STAGE_HEARTBEAT_EVERY_MS = 5_000;

/** Error types that cannot heal by waiting: the workflow's retry policy fails them at once. */
export const NON_RETRYABLE_STAGE_ERRORS = ['BadConfig', 'PolicyError', 'RunNotFound', 'LoopDisabled', 'LoopGone'] as const;
/** The type a stage attempt fails with while opsloop's own Postgres cannot be reached. */
export const DATABASE_UNAVAILABLE = 'DatabaseUnavailable';
/** How such a failure's message starts; the driver's own error follows. */
export const DATABASE_UNAVAILABLE_PREFIX = "opsloop's Postgres is unreachable: ";

export function stageDeadlineSeconds(value: number | null | undefined): number {
  return value ?? DEFAULT_STAGE_DEADLINE_SECONDS;
}

/**
 * The window the Schedule really gets: the loop's catch-up window, but never as long as the gap
 * between two fires, so after an outage only the newest missed fire runs (once), never a burst of
 * every fire the outage swallowed. Null for event triggers (no Schedule).
 */
export function scheduleCatchupSeconds(trigger: LoopTrigger, now: Date = new Date()): number | null {
  if (trigger.type === 'event') return null;
  const wanted = trigger.catchupWindowSeconds ?? DEFAULT_CATCHUP_WINDOW_SECONDS;
  const gap = trigger.type === 'interval' ? trigger.everySeconds : shortestCronGapSeconds(trigger.cron, now);
  const capped = gap === null ? wanted : Math.min(wanted, gap - 1);
  return Math.max(MIN_CATCHUP_WINDOW_SECONDS, capped);
}

/** The shortest gap between consecutive fires among the next `fires` fires; null when it fires less than twice. */
export function shortestCronGapSeconds(cron: string, now: Date, fires = 50): number | null {
  const cal = cronCalendar(cron);
  let previous = nextCronFire(cal, now);
  let shortest: number | null = null;
  for (let i = 1; previous && i < fires; i++) {
    const next = nextCronFire(cal, previous);
    if (!next) break;
    const gap = (next.getTime() - previous.getTime()) / 1000;
    shortest = shortest === null ? gap : Math.min(shortest, gap);
    previous = next;
  }
  return shortest;
}

/** What Temporal said about the failure that ended the last attempt (a pending activity's last failure). */
export interface AttemptFailure {
  message: string;
  /** 'heartbeat', 'start-to-close', 'schedule-to-close' or 'schedule-to-start' for timeouts. */
  timeout?: string | null;
  /** The application failure's type, e.g. DatabaseUnavailable. */
  type?: string | null;
}

/** Why an attempt ended without finishing, in the words a run's timeline uses ("attempt 2 ended without finishing: <this>"). */
export function abandonReason(failure: AttemptFailure | null): string {
  if (!failure) return 'Temporal kept no reason';
  switch (failure.timeout) {
    case 'heartbeat':
      return `worker lost: no heartbeat for ${STAGE_HEARTBEAT_TIMEOUT_MS / 1000} s (the worker stopped, was killed or lost its connection)`;
    case 'start-to-close':
      return 'it ran past its time limit for one attempt (start-to-close timeout)';
    case 'schedule-to-close':
      return "it ran out of the loop's stage deadline";
    case 'schedule-to-start':
      return 'no worker picked it up in time';
  }
  if (failure.type === DATABASE_UNAVAILABLE) return `opsloop's Postgres was unreachable: ${failure.message.replace(DATABASE_UNAVAILABLE_PREFIX, '')}`;
  return `last error: ${failure.message}`;
}

/** Attempts of a stage before `current` that left no end row: a `started` row alone, or no row at all. */
export interface UnclosedAttempts {
  from: number;
  to: number;
  /** Attempts in the range that at least wrote their `started` row. */
  started: number[];
}

const CLOSING = new Set(['completed', 'failed', 'skipped', 'abandoned']);

export function unclosedAttempts(steps: Pick<StepRecord, 'stage' | 'status' | 'attempt'>[], stage: string, current: number): UnclosedAttempts | null {
  const mine = steps.filter((s) => s.stage === stage && s.attempt < current);
  const closed = new Set(mine.filter((s) => CLOSING.has(s.status)).map((s) => s.attempt));
  // Attempts up to the newest closed one were settled (a range row closes all of them).
  const settledUpTo = Math.max(0, ...closed);
  if (settledUpTo >= current - 1) return null;
  const from = settledUpTo + 1;
  const started = [...new Set(mine.filter((s) => s.status === 'started' && s.attempt >= from).map((s) => s.attempt))].sort((a, b) => a - b);
  return { from, to: current - 1, started };
}

/** Every stage whose newest attempt started and never ended: what a run that stopped leaves open. */
export function openStages(steps: Pick<StepRecord, 'stage' | 'status' | 'attempt'>[]): { stage: string; attempt: number }[] {
  const newest = new Map<string, number>();
  for (const s of steps) newest.set(s.stage, Math.max(newest.get(s.stage) ?? 0, s.attempt));
  return [...newest.entries()].flatMap(([stage, attempt]) => {
    const rows = steps.filter((s) => s.stage === stage && s.attempt === attempt);
    const open = rows.some((s) => s.status === 'started') && !rows.some((s) => CLOSING.has(s.status));
    return open ? [{ stage, attempt }] : [];
  });
}

/** How a closed workflow ended, as the sweeper reads it from Temporal. */
export type ClosedWorkflow =
  | { status: 'completed'; result: { status?: string } | null }
  | { status: 'failed'; message: string }
  | { status: 'terminated'; reason: string | null }
  | { status: 'timed-out' }
  | { status: 'cancelled' }
  | { status: 'not-found' };

/** What the run row should say once its workflow has closed; null when the row should stay as it is. */
export function sweptRunVerdict(closed: ClosedWorkflow): { status: RunStatus; error: string | null } | null {
  switch (closed.status) {
    case 'completed': {
      const ended = closed.result?.status;
      if (ended === 'measuring') return { status: 'measuring', error: null };
      if (ended === 'blocked') return { status: 'failed', error: 'blocked by the quality gate' };
      return { status: 'completed', error: null };
    }
    case 'failed':
      return { status: 'failed', error: `the run's workflow failed: ${closed.message}` };
    case 'terminated':
      return { status: 'failed', error: `the run's workflow was terminated${closed.reason ? `: ${closed.reason}` : ''}` };
    case 'timed-out':
      return { status: 'failed', error: "the run's workflow timed out" };
    case 'cancelled':
      return { status: 'failed', error: "the run's workflow was cancelled" };
    case 'not-found':
      return { status: 'failed', error: "the run's workflow is gone from Temporal (its history expired or the namespace was reset)" };
  }
}

/** A stage retrying right now, as the API reads it from the workflow's pending activity. */
export interface StageRetry {
  stage: string;
  /** The attempt that runs next (or runs now). */
  attempt: number;
  /** Why the last attempt failed, in words (abandonReason). */
  reason: string;
  lastError: string;
  lastErrorType: string | null;
  nextAttemptAt: string | null;
}

/** "retrying evaluate (attempt 6, next try at …): opsloop's Postgres was unreachable: connect ECONNREFUSED …" */
export function retryNote(r: StageRetry): string {
  const next = r.nextAttemptAt ? `, next try at ${formatInstant(r.nextAttemptAt)}` : '';
  const waiting = r.lastErrorType === DATABASE_UNAVAILABLE ? 'waiting for Postgres; ' : '';
  return `retrying ${r.stage} (attempt ${r.attempt}${next}): ${waiting}${r.reason}`;
}
