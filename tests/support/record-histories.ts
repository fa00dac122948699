/**
 * Records the workflow histories the replay spec checks new workflow code against. Not a spec:
 * run it on purpose when a workflow changes in a way that is meant to break replay (then guard
 * the change with `patched()` or version the workflow), with
 *   npx jest --selectProjects integration --testMatch '**\/tests/support/record-histories.ts'
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { feedbackWorkflowId } from '@opsloop/domain';
import { createLoop, runReaches, sendEvent, startEngine } from './engine-fixture';
import { startTestWorker } from './test-apps';

const OUT = path.join(__dirname, '../fixtures/histories');

it('records one approved threshold-alert run and its loop feedback workflow', async () => {
  const f = await startEngine();
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  try {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      approval: { when: 'above', threshold: 5, timeoutSeconds: 60, onTimeout: 'escalate' },
      params: { bound: 90, outcomeWindowSeconds: 1, tuning: { minBound: 80, maxBound: 99, step: 1, targetPrecision: 0.5, window: 1 } },
    });
    const runId = await sendEvent(f, loop.id, 'replay', { readings: [{ series: 'a', value: 99 }, { series: 'b', value: 92 }] });
    const waiting = await runReaches(f, runId, ['awaiting-approval']);
    await f.api.http().post(`/api/v1/decisions/${waiting.decisions[0]!.id}/approval`).set(f.admin).send({ verdict: 'approve', reason: 'recording' });
    const done = await runReaches(f, runId, ['completed']);
    const runWorkflowId = (await f.api.http().get(`/api/v1/runs/${runId}`).set(f.admin)).body.workflowId as string;
    expect(done.status).toBe('completed');
    for (const [name, workflowId] of [['loop-run', runWorkflowId], ['loop-feedback', feedbackWorkflowId(loop.id)]] as const) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      // Binary protobuf: the JSON form trips over the SDK's two protobufjs copies.
      writeFileSync(path.join(OUT, `${name}.history.bin`), temporal.api.history.v1.History.encode(history).finish());
    }
  } finally {
    await client.connection.close();
    await f.close();
  }
});

it('records a loop run whose loop was disabled before it opened (the start-failure path)', async () => {
  const f = await startEngine({ worker: false });
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  let worker: Awaited<ReturnType<typeof startTestWorker>> | null = null;
  try {
    const loop = await createLoop(f, { kind: 'noop', trigger: { type: 'event' } });
    const started = await f.api.http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin).send({ eventId: 'replay-start-failed', payload: {} });
    await f.api.http().post(`/api/v1/loops/${loop.id}/disable`).set(f.admin);
    worker = await startTestWorker({ TEMPORAL_TASK_QUEUE: f.taskQueue });
    const handle = client.workflow.getHandle(started.body.workflowId as string);
    await expect(handle.result()).rejects.toThrow();
    const history = await handle.fetchHistory();
    writeFileSync(path.join(OUT, 'loop-run-start-failed.history.bin'), temporal.api.history.v1.History.encode(history).finish());
  } finally {
    await worker?.close();
    await client.connection.close();
    await f.close();
  }
});

it('records a run whose approvals came as stored ids: one approval, a refused made-up id, and a bulk batch', async () => {
  const f = await startEngine();
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  try {
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      approval: { when: 'above', threshold: 5, timeoutSeconds: 60, onTimeout: 'escalate' }, params: { bound: 90 },
    });
    const runId = await sendEvent(f, loop.id, 'replay-verified', { readings: ['a', 'b', 'c'].map((series) => ({ series, value: 99 })) });
    const waiting = await runReaches(f, runId, ['awaiting-approval']);
    const workflowId = (await f.api.http().get(`/api/v1/runs/${runId}`).set(f.admin)).body.workflowId as string;
    const [first] = waiting.decisions;
    await f.api.http().post(`/api/v1/decisions/${first!.id}/approval`).set(f.admin).send({ verdict: 'approve', reason: 'recording' });
    const handle = client.workflow.getHandle(workflowId);
    await expect(handle.executeUpdate('decideApproval', { args: [{ approvalId: randomUUID(), decisionId: waiting.decisions[1]!.id }] })).rejects.toThrow();
    await f.api.http().post(`/api/v1/runs/${runId}/approvals`).set(f.admin).send({ verdict: 'reject', reason: 'recording the rest' });
    expect((await runReaches(f, runId, ['completed'])).status).toBe('completed');
    writeFileSync(path.join(OUT, 'loop-run-verified-approvals.history.bin'), temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
  } finally {
    await client.connection.close();
    await f.close();
  }
});
