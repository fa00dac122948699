/**
 * The wiring check: an API call starts a workflow whose activity writes one row.
 * Kept in the domain so the workflow (sandboxed) and the API share one rule set.
 */
import { hasVisibleText, textProblem } from './edge-text';

export interface RoundTripInput {
  id: string;
  message: string;
}

export interface RoundTripRecord extends RoundTripInput {
  workflowId: string;
  recordedAt: string;
}

export interface RoundTripProblem {
  field: 'id' | 'message';
  message: string;
}

export const ROUND_TRIP_MESSAGE_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every problem with the input, each naming its field; empty when the input is valid. */
export function roundTripInputProblems(input: RoundTripInput): RoundTripProblem[] {
  const problems: RoundTripProblem[] = [];
  if (typeof input.id !== 'string' || !UUID.test(input.id)) problems.push({ field: 'id', message: 'id must be a UUID' });
  const message = messageProblem(input.message);
  if (message) problems.push({ field: 'message', message });
  return problems;
}

function messageProblem(message: unknown): string | null {
  // Whitespace is judged as String.prototype.trim does (NBSP and the other Unicode spaces too).
  if (typeof message !== 'string' || !hasVisibleText(message)) return 'message must be a non-empty string (not only whitespace)';
  if (message.length > ROUND_TRIP_MESSAGE_MAX) return `message must be at most ${ROUND_TRIP_MESSAGE_MAX} characters`;
  const odd = textProblem(message);
  return odd ? `message ${odd}` : null;
}

export function roundTripWorkflowId(id: string): string {
  return `round-trip-${id.toLowerCase()}`;
}
