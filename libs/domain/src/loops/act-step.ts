/**
 * The status of a run's `act` step. The workflow reports how many actions succeeded, failed and
 * were skipped; a step with any failed action is `failed`, and its error says how many and why,
 * so a webhook that never got through is never shown as "completed".
 */
import { formatCount } from '../text/number-text';
import type { StepStatus } from './run-state';

export interface ActionCounts {
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface FailedAction {
  subject: string;
  reason: string | null;
}

/** How many failed actions the error names one by one; the rest are counted. */
export const NAMED_FAILURES = 3;

export function actionCounts(detail: Record<string, unknown> | undefined): ActionCounts {
  const n = (key: keyof ActionCounts) => {
    const v = detail?.[key];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
  };
  return { succeeded: n('succeeded'), failed: n('failed'), skipped: n('skipped') };
}

export function actStepOutcome(reported: StepStatus, counts: ActionCounts, failures: readonly FailedAction[]): { status: StepStatus; error?: string } {
  if (counts.failed === 0) return { status: reported };
  const total = counts.succeeded + counts.failed + counts.skipped;
  const others = [counts.succeeded > 0 ? `${counts.succeeded} succeeded` : '', counts.skipped > 0 ? `${counts.skipped} skipped` : '']
    .filter((s) => s.length > 0);
  const head = `${counts.failed} of ${formatCount(total, 'action')} failed${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
  const named = failures.slice(0, NAMED_FAILURES).map((f) => `${f.subject}: ${f.reason ?? 'no reason recorded'}`);
  const more = counts.failed > named.length && named.length > 0 ? `; and ${counts.failed - named.length} more` : '';
  return { status: 'failed', error: named.length > 0 ? `${head}: ${named.join('; ')}${more}` : head };
}
