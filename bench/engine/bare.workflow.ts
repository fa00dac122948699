/**
 * The reference for bench/engine: a bare workflow that runs `count` trivial activities one after
 * another, with the same activity options as loopRunWorkflow, so the only difference left is
 * what the engine's activities and history do.
 */
import { proxyActivities } from '@temporalio/workflow';

export interface BareActivities {
  benchEcho(value: number): Promise<number>;
}

// Same timeout and retry as the engine's stage activities (workflows/loop-run/loop-run.workflow.ts).
const bare = proxyActivities<BareActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function bareWorkflow(count: number): Promise<number> {
  let last = 0;
  for (let i = 1; i <= count; i++) last = await bare.benchEcho(i);
  return last;
}
