import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from '../support/test-apps';

describe('round trip: API → Temporal workflow → worker activity → Postgres → API', () => {
  const taskQueue = uniqueTaskQueue();
  let api: TestApi;
  let worker: INestApplicationContext;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    worker = await startTestWorker({ TEMPORAL_TASK_QUEUE: taskQueue });
    api = await startTestApi({ TEMPORAL_TASK_QUEUE: taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    await connection.close();
    await api.close();
    await worker.close();
  });

  it('writes the row through the workflow and reads it back', async () => {
    const id = randomUUID();
    const started = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'hello loop' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id, message: 'hello loop', workflowId: `round-trip-${id}` });

    const read = await api.http().get(`/api/v1/round-trips/${id}`).set(bearer(api.adminKey));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(started.body);
  });

  /** The Temporal run id of the newest execution under the round trip's workflow id. */
  const latestExecution = async (id: string) => (await temporal.workflow.getHandle(`round-trip-${id}`).describe()).runId;

  it('answers the stored row again for the same id and message, without a second execution', async () => {
    const id = randomUUID();
    const first = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'first' });
    expect(first.status).toBe(201);
    const execution = await latestExecution(id);
    const again = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'first' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await latestExecution(id)).toBe(execution);
  });

  it('refuses the same id with another message as a 409 naming the message, keeping the first row and execution', async () => {
    const id = randomUUID();
    const first = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'first' });
    const execution = await latestExecution(id);
    const again = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'second' });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'message', messages: [expect.stringMatching(/^message differs from the one recorded for id /)] }]);
    expect(await latestExecution(id)).toBe(execution);
    expect((await api.http().get(`/api/v1/round-trips/${id}`).set(bearer(api.adminKey))).body).toEqual(first.body);
  });

  it('gives the loser of two racing requests with different messages a 409, never a second row', async () => {
    const id = randomUUID();
    const answers = await Promise.all(['one', 'two'].map((message) => api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const stored = (await api.http().get(`/api/v1/round-trips/${id}`).set(bearer(api.adminKey))).body;
    expect(stored).toEqual(answers.find((a) => a.status === 201)!.body);
  });
});
