import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from '../support/test-apps';

describe('round trip: API → Temporal workflow → worker activity → Postgres → API', () => {
  const taskQueue = uniqueTaskQueue();
  let api: TestApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    worker = await startTestWorker({ TEMPORAL_TASK_QUEUE: taskQueue });
    api = await startTestApi({ TEMPORAL_TASK_QUEUE: taskQueue });
  });
  afterAll(async () => {
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

  it('keeps the first row when the same id is sent again', async () => {
    const id = randomUUID();
    const first = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'first' });
    const again = await api.http().post('/api/v1/round-trips').set(bearer(api.adminKey)).send({ id, message: 'second' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });
});
