/**
 * Today's workflow code must replay the histories recorded from earlier code, or runs in flight
 * would break on deploy. Re-record (tests/support/record-histories.ts) only for a change that is
 * guarded by `patched()` or a new workflow type.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { workflowSource } from '@opsloop/temporal';

const load = (name: string) => temporal.api.history.v1.History.decode(readFileSync(path.join(__dirname, '../fixtures/histories', `${name}.history.bin`)));
const replay = (history: ReturnType<typeof load>, workflowId: string) =>
  Worker.runReplayHistory({ ...workflowSource(process.env.OPSLOOP_WORKFLOW_BUNDLE) }, history, workflowId);

describe('workflow replay against recorded histories', () => {
  // loop-run holds an approval update of the old shape (verdict and role inside); loop-run-verified-approvals the stored-id path.
  it.each(['loop-run', 'loop-run-start-failed', 'loop-run-verified-approvals', 'loop-feedback'])('replays the recorded %s history without a determinism error', async (name) => {
    await expect(replay(load(name), `replay-${name}`)).resolves.toBeUndefined();
  });

  it('fails replay when the history asks for a different activity than the code schedules', async () => {
    const history = load('loop-run');
    const scheduled = history.events!.find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
    await expect(replay(history, 'replay-tampered')).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
