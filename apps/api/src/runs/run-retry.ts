/**
 * Whether an open run is retrying a stage right now, read from its workflow's pending activities:
 * the attempt, when the next try is due and why the last one failed ("waiting for opsloop's
 * Postgres", a lost worker, a source that is down). Read from Temporal rather than the run row, so
 * it is true while Postgres is still coming back and the worker has not written anything yet.
 * Best effort: when Temporal does not answer quickly the run view goes out without it.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { abandonReason, RunRecord, StageRetry } from '@opsloop/domain';

const DESCRIBE_TIMEOUT_MS = 2_000;
const OPEN: RunRecord['status'][] = ['running', 'awaiting-approval', 'acting'];
const TIMEOUTS: Record<number, string> = {
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT]: 'heartbeat',
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE]: 'start-to-close',
  [temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE]: 'schedule-to-close',
};

export async function stageRetry(client: Client, run: RunRecord): Promise<StageRetry | null> {
  if (!OPEN.includes(run.status)) return null;
  try {
    const d = await client.connection.withDeadline(Date.now() + DESCRIBE_TIMEOUT_MS, () => client.workflow.getHandle(run.workflowId).describe());
    const p = d.raw.pendingActivities?.find((a) => (a.attempt ?? 1) > 1 && a.lastFailure);
    if (!p?.lastFailure) return null;
    const failure = {
      message: p.lastFailure.message ?? '',
      timeout: TIMEOUTS[p.lastFailure.timeoutFailureInfo?.timeoutType ?? 0] ?? null,
      type: p.lastFailure.applicationFailureInfo?.type ?? null,
    };
    const next = optionalTsToMs(p.nextAttemptScheduleTime);
    return {
      stage: stageOf(p) ?? p.activityType?.name ?? 'a stage', attempt: p.attempt ?? 2, reason: abandonReason(failure),
      lastError: failure.message, lastErrorType: failure.type, nextAttemptAt: next === undefined ? null : new Date(next).toISOString(),
    };
  } catch {
    return null;
  }
}

/** Stages heartbeat their name (stage-attempts.ts); other activities go by their type. */
function stageOf(p: temporal.api.workflow.v1.IPendingActivityInfo): string | null {
  const payload = p.heartbeatDetails?.payloads?.[0];
  if (!payload) return null;
  try {
    const detail = defaultPayloadConverter.fromPayload<{ stage?: unknown }>(payload);
    return typeof detail?.stage === 'string' ? detail.stage : null;
  } catch {
    return null;
  }
}
