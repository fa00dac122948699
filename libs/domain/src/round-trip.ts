/**
 * The wiring check: an API call starts a workflow whose activity writes one row.
 * Kept in the domain so the workflow (sandboxed) and the API share one rule set.
 */
export interface RoundTripInput {
  id: string;
  message: string;
}

export interface RoundTripRecord extends RoundTripInput {
  workflowId: string;
  recordedAt: string;
}

export const ROUND_TRIP_MESSAGE_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns a list of problems, empty when the input is valid. */
export function roundTripInputProblems(input: RoundTripInput): string[] {
  const problems: string[] = [];
  if (!UUID.test(input.id)) problems.push('id must be a UUID');
  if (typeof input.message !== 'string' || input.message.trim().length === 0) {
    problems.push('message must be a non-empty string');
  } else if (input.message.length > ROUND_TRIP_MESSAGE_MAX) {
    problems.push(`message must be at most ${ROUND_TRIP_MESSAGE_MAX} characters`);
  }
  return problems;
}

export function roundTripWorkflowId(id: string): string {
  return `round-trip-${id.toLowerCase()}`;
}
