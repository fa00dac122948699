/**
 * Activity options sized for real outages. Work that only needs Postgres, Temporal or a source
 * retries with capped exponential backoff for as long as the loop's stage deadline allows; errors
 * that cannot heal (bad config, a policy error) fail at once. Long stages heartbeat, so a stage on
 * a worker that died is retried within seconds instead of after its start-to-close timeout.
 * Options are not part of Temporal's determinism check (it compares activity type and id), so
 * changing them needs no patch: histories in flight replay unchanged.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_STAGE_ERRORS, OUTAGE_RETRY, STAGE_HEARTBEAT_TIMEOUT_MS, stageDeadlineSeconds } from '@opsloop/domain';

function outageRetry(extraNonRetryable: readonly string[] = []): ActivityOptions['retry'] {
  return {
    initialInterval: OUTAGE_RETRY.initialIntervalMs,
    backoffCoefficient: OUTAGE_RETRY.backoffCoefficient,
    maximumInterval: OUTAGE_RETRY.maximumIntervalMs,
    // No maximumAttempts (unlimited): the stage deadline (schedule-to-close) bounds the retries.
    nonRetryableErrorTypes: [...NON_RETRYABLE_STAGE_ERRORS, ...extraNonRetryable],
  };
}

/** A kind stage or an outcome measurement: may run for minutes, beats every few seconds. */
export function longStageOptions(deadlineSeconds?: number | null): ActivityOptions {
  return {
    scheduleToCloseTimeout: `${stageDeadlineSeconds(deadlineSeconds)} seconds`,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: STAGE_HEARTBEAT_TIMEOUT_MS,
    retry: outageRetry(),
  };
}

/** Short bookkeeping (a status, a step row, a signal): seconds each, retried through outages. */
export function bookkeepingOptions(deadlineSeconds?: number | null, extraNonRetryable: readonly string[] = []): ActivityOptions {
  return {
    scheduleToCloseTimeout: `${stageDeadlineSeconds(deadlineSeconds)} seconds`,
    startToCloseTimeout: '1 minute',
    retry: outageRetry(extraNonRetryable),
  };
}
