/** Waits out a run's outcome window on a durable timer, then measures, scores and tunes. */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { LoopRunActivities } from './contract';

const engine = proxyActivities<LoopRunActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 10, initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface OutcomeInput {
  runId: string;
  windowSeconds: number;
  tunable: boolean;
}

export async function loopOutcomeWorkflow(input: OutcomeInput): Promise<{ measured: number; tuned: boolean }> {
  await sleep(input.windowSeconds * 1000);
  const { measured } = await engine.measureOutcomes(input.runId);
  const { tuned } = input.tunable ? await engine.tuneLoop(input.runId) : { tuned: false };
  await engine.setRunStatus(input.runId, 'completed');
  return { measured, tuned };
}
