import { Client, Connection } from '@temporalio/client';
import { feedbackWorkflowId } from '@opsloop/domain';
import { outcomeDueSignal } from '../../../workflows/loop-feedback/messages';
import { createLoop, EngineFixture, runReaches, sendEvent, startEngine } from '../../support/engine-fixture';

describe('the per-loop feedback workflow', () => {
  let f: EngineFixture;
  let client: Client;

  beforeAll(async () => {
    f = await startEngine();
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  });
  afterAll(async () => {
    await client.connection.close();
    await f.close();
  });

  it('measures every run of a loop and continues as new with what is still pending', async () => {
    const loop = await createLoop(f, {
      kind: 'noop', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      params: { decisions: 1, outcomeWindowSeconds: 1 },
    });
    // Started ahead of the runs with a tiny per-execution budget, so the second outcome lands in a new execution.
    const first = await client.workflow.signalWithStart('loopFeedbackWorkflow', {
      workflowId: feedbackWorkflowId(loop.id), taskQueue: f.taskQueue,
      args: [{ loopId: loop.id, pending: [], measured: 0, continueAfter: 1 }],
      signal: outcomeDueSignal, signalArgs: [{ runId: '00000000-0000-4000-8000-000000000000', dueAtMs: Date.now() + 3_600_000, tunable: false }],
    });

    const runs = [await sendEvent(f, loop.id, 'a', {}), await sendEvent(f, loop.id, 'b', {})];
    for (const runId of runs) {
      const run = await runReaches(f, runId, ['completed'], 60_000);
      expect(run.decisions[0]).toMatchObject({ outcome: { measured: true }, score: 1 });
      expect(run.steps.map((s) => s.stage)).toContain('outcome');
    }

    const history = await client.workflow.getHandle(first.workflowId, first.signaledRunId).fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const latest = await client.workflow.getHandle(first.workflowId).describe();
    expect(latest.runId).not.toBe(first.signaledRunId);
    await client.workflow.getHandle(first.workflowId).terminate('test finished');
  });
});
