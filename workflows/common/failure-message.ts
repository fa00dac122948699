/** The human reason behind a failure seen in workflow code: an activity's own error, not the wrapper. */
import { ActivityFailure } from '@temporalio/workflow';

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return failureMessage(err.cause);
  return err instanceof Error ? err.message : String(err);
}
