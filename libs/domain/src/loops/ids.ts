/**
 * Business keys. Workflow ids, schedule ids and idempotency keys are derived from ids the
 * system already owns, never from clocks, so a duplicate start or a retry finds the same thing.
 */
export function loopScheduleId(loopId: string): string {
  return `loop-${loopId}`;
}

/** Schedules append their own timestamp to this prefix, so scheduled runs stay unique per fire. */
export function scheduledRunWorkflowIdPrefix(loopId: string): string {
  return `run-${loopId}-scheduled`;
}

export function manualRunWorkflowId(loopId: string, requestId: string): string {
  return `run-${loopId}-manual-${requestId}`;
}

export function eventRunWorkflowId(loopId: string, eventId: string): string {
  return `run-${loopId}-event-${eventId}`;
}

/** The one feedback workflow per loop: outcomes and tuning of all its runs go through it. */
export function feedbackWorkflowId(loopId: string): string {
  return `feedback-${loopId}`;
}

/** The key of a decision made before intents (intent.ts): every attempt of its action carried it. */
export function actionIdempotencyKey(decisionId: string): string {
  return `opsloop-decision-${decisionId}`;
}
