/** Wiring check: validate the input, have an activity write one row, return that row. */
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { RoundTripInput, RoundTripRecord, roundTripInputProblems } from '@opsloop/domain';
import type { RoundTripActivities } from './contract';

const { recordRoundTrip } = proxyActivities<RoundTripActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '500 ms' },
});

export async function roundTripWorkflow(input: RoundTripInput): Promise<RoundTripRecord> {
  const problems = roundTripInputProblems(input);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(problems.map((p) => p.message).join('; '), 'InvalidRoundTripInput');
  }
  return recordRoundTrip({ ...input, workflowId: workflowInfo().workflowId });
}
