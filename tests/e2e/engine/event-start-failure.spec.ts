/**
 * An accepted event either runs or is recorded as failed, and a failed one can be sent again.
 * A run that cannot open leaves a failed run row (with an `open` step and the reason) in /runs;
 * when its workflow ends while the API still waits, the caller gets an error, not 202 with no run;
 * resending the same event id starts the run anew, and once it has run the id is a duplicate.
 */
import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { eventRunWorkflowId } from '@opsloop/domain';
import { createLoop, EngineFixture, getRun, runReaches, startEngine, TEST_OUTBOUND } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { startTestWorker } from '../../support/test-apps';

describe('events whose run cannot start', () => {
  let f: EngineFixture;
  let worker: INestApplicationContext | null = null;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    // The worker comes and goes per test: an event must be able to arrive while none runs.
    f = await startEngine({ worker: false });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterEach(async () => {
    await worker?.close();
    worker = null;
  });
  afterAll(async () => {
    await connection.close();
    await f.close();
  });

  const http = () => f.api.http();
  const startWorker = async () => {
    worker = await startTestWorker({ TEMPORAL_TASK_QUEUE: f.taskQueue, ...TEST_OUTBOUND });
  };
  const eventLoop = () => createLoop(f, { name: `start failure ${randomUUID()}`, kind: 'noop', mode: 'live', trigger: { type: 'event' } });
  const send = (loopId: string, eventId: string) => http().post(`/api/v1/loops/${loopId}/events`).set(f.admin).send({ eventId, payload: {} });
  const runsOf = async (loopId: string) => (await http().get(`/api/v1/runs?loopId=${loopId}`).set(f.admin)).body as { id: string; status: string; error: string | null }[];

  it('records a run that failed to open as a failed run with the reason, and starts it anew when the event is resent', async () => {
    const loop = await eventLoop();
    const eventId = `evt-${randomUUID()}`;
    const accepted = await send(loop.id, eventId);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ runId: null, duplicate: false });

    // Disabled before any worker picked the run up: opening it fails for good.
    expect((await http().post(`/api/v1/loops/${loop.id}/disable`).set(f.admin)).status).toBe(200);
    await startWorker();
    const [failed] = await eventually(async () => {
      const runs = await runsOf(loop.id);
      return runs.length > 0 && runs[0]!.status === 'failed' ? runs : undefined;
    }, 'the failed start to be recorded');
    expect(failed!.error).toMatch(/^the run could not start: Loop .* is disabled$/);
    expect((await getRun(f, failed!.id)).steps).toEqual([expect.objectContaining({ stage: 'open', status: 'failed' })]);

    expect((await http().post(`/api/v1/loops/${loop.id}/enable`).set(f.admin)).status).toBe(200);
    const again = await send(loop.id, eventId);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ runId: failed!.id, duplicate: false });
    const done = await runReaches(f, failed!.id, ['completed']);
    expect(done.error).toBeNull();
    expect(done.steps.slice(0, 3).map((s) => `${s.stage}:${s.status}`)).toEqual(['open:failed', 'open:completed', 'collect:started']);

    const third = await send(loop.id, eventId);
    expect(third.body).toMatchObject({ runId: failed!.id, duplicate: true });
    expect(await runsOf(loop.id)).toHaveLength(1);
  });

  it('answers an error, not 202 without a run, when the run ends before it opens; the resent event then runs', async () => {
    const loop = await eventLoop();
    const eventId = `evt-${randomUUID()}`;
    const pending = send(loop.id, eventId).then((r) => r);
    // No worker: the run waits in its task queue until the test ends its workflow.
    const handle = temporal.workflow.getHandle(eventRunWorkflowId(loop.id, eventId));
    await eventually(() => handle.describe().then(() => true, () => undefined), 'the event run to exist in Temporal');
    await handle.terminate('ended by the spec before any worker ran it');

    const answer = await pending;
    expect(answer.status).toBe(503);
    expect(answer.body.message).toMatch(
      new RegExp(`^Run .* was accepted but the run could not start: its workflow ended as terminated before the run opened\\. It is recorded as failed run ${answer.body.runId} .*send the same eventId again to start it anew\\.$`),
    );
    const recorded = await getRun(f, answer.body.runId as string);
    expect(recorded).toMatchObject({ status: 'failed', steps: [expect.objectContaining({ stage: 'open', status: 'failed' })] });

    await startWorker();
    const again = await send(loop.id, eventId);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ runId: answer.body.runId, duplicate: false });
    await runReaches(f, answer.body.runId as string, ['completed']);
  });

  it('answers 409 when the loop was disabled while its run was being started', async () => {
    const loop = await eventLoop();
    const eventId = `evt-${randomUUID()}`;
    const pending = send(loop.id, eventId).then((r) => r);
    const handle = temporal.workflow.getHandle(eventRunWorkflowId(loop.id, eventId));
    await eventually(() => handle.describe().then(() => true, () => undefined), 'the event run to exist in Temporal');
    await http().post(`/api/v1/loops/${loop.id}/disable`).set(f.admin);
    await handle.terminate('ended by the spec');
    const answer = await pending;
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ runId: expect.any(String), workflowId: eventRunWorkflowId(loop.id, eventId) });
  });
});
