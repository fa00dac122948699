/**
 * A cron that can never fire is refused before a Schedule exists, and the fire times opsloop
 * computes for a cron are the ones the real Temporal Schedule reports (day of month AND day of week).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { cronCalendar, loopScheduleId, nextCronFire } from '@opsloop/domain';
import { createLoop, EngineFixture, startEngine } from '../../support/engine-fixture';

describe('cron triggers that never fire, and fire times as Temporal computes them', () => {
  let f: EngineFixture;
  let connection: Connection;
  let temporal: Client;
  const made: string[] = [];

  beforeAll(async () => {
    // No worker: nothing here needs a run, and a Schedule that fired would only queue a task.
    f = await startEngine({ worker: false });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    for (const id of made) await f.api.http().delete(`/api/v1/loops/${id}`).set(f.admin);
    await connection.close();
    await f.close();
  });

  const cronLoop = (cron: string) => ({ name: `cron ${randomUUID()}`, kind: 'noop', trigger: { type: 'cron', cron } });

  it('refuses 30 February with a 400 naming trigger.cron, and stores nothing', async () => {
    const body = cronLoop('0 0 30 2 *');
    const res = await f.api.http().post('/api/v1/loops').set(f.admin).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'trigger.cron', messages: [expect.stringMatching(/^trigger\.cron never fires: no date before 2101 has day of month "30" in month "2"/)] }]);
    const list = await f.api.http().get('/api/v1/loops?kind=noop&limit=500').set(f.admin);
    expect((list.body as { name: string }[]).some((l) => l.name === body.name)).toBe(false);
  });

  it('refuses an update to a cron that never fires and keeps the old one', async () => {
    const loop = await createLoop(f, cronLoop('0 2 * * *'));
    made.push(loop.id);
    const res = await f.api.http().patch(`/api/v1/loops/${loop.id}`).set(f.admin).send({ trigger: { type: 'cron', cron: '0 0 31 4 *' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('trigger.cron');
    expect((await f.api.http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body.trigger).toMatchObject({ type: 'cron', cron: '0 2 * * *' });
  });

  it.each([
    ['29 February, every leap year', '0 0 29 2 *'],
    ['Friday the 13th (both day fields must match)', '0 6 13 * 5'],
    ['29 February on a Monday, decades apart', '0 0 29 2 mon'],
  ])('accepts %s and agrees with the Schedule on the next fire time', async (_what, cron) => {
    const before = new Date();
    const loop = await createLoop(f, cronLoop(cron));
    made.push(loop.id);
    const described = await temporal.schedule.getHandle(loopScheduleId(loop.id)).describe();
    const temporalNext = described.info.nextActionTimes[0];
    expect(temporalNext).toBeDefined();
    expect(temporalNext!.toISOString()).toBe(nextCronFire(cronCalendar(cron), before)!.toISOString());
  });
});
