/**
 * The loops API through HTTP: instances with their defaults, the Temporal Schedule kept in step
 * with each row, field errors that leave nothing behind, roles, and starting runs by hand or per event.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import { loopScheduleId } from '@opsloop/domain';
import { THRESHOLD_ALERT_POLICY_VERSIONS } from '@opsloop/policies';
import { createLoop, EngineFixture, startEngine } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { bearer } from '../../support/test-apps';

type Loop = { id: string; name: string; enabled: boolean; paramsVersion: number } & Record<string, unknown>;
type ErrorBody = { message: string; errors: { field: string; messages: string[] }[] };

const UNKNOWN_ID = '6c0e7f0a-0000-4000-8000-000000000000';
const NIGHTLY = { type: 'cron', cron: '0 2 * * *' };
const HOURLY_INTERVAL = { type: 'interval', everySeconds: 3600 };
const READINGS = { readings: [{ series: 'cpu.eu', value: 40 }] };

describe('loops API', () => {
  let f: EngineFixture;
  let connection: Connection;
  let temporal: Client;
  const keys = { viewer: {} as Record<string, string>, operator: {} as Record<string, string> };
  const made: string[] = [];

  beforeAll(async () => {
    f = await startEngine();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    for (const role of ['viewer', 'operator'] as const) {
      const res = await f.api.http().post('/api/v1/api-keys').set(f.admin).send({ name: `${role} for loops-api spec ${randomUUID()}`, role });
      keys[role] = bearer(res.body.key as string);
    }
  });
  afterAll(async () => {
    // Scheduled loops must not keep firing after the spec: delete every loop made here, and its Schedule.
    for (const id of made) {
      await f.api.http().delete(`/api/v1/loops/${id}`).set(f.admin);
      await temporal.schedule.getHandle(loopScheduleId(id)).delete().catch(() => undefined);
    }
    await connection.close();
    await f.close();
  });

  const http = () => f.api.http();
  const uniqueName = () => `loops-api ${randomUUID()}`;
  async function create(body: Record<string, unknown>): Promise<Loop> {
    const loop = (await createLoop(f, { name: uniqueName(), ...body })) as Loop;
    made.push(loop.id);
    return loop;
  }
  const schedule = (loopId: string): Promise<ScheduleDescription> => temporal.schedule.getHandle(loopScheduleId(loopId)).describe();
  const patch = (id: string, body: Record<string, unknown>) => http().patch(`/api/v1/loops/${id}`).set(f.admin).send(body);
  const startWorkflowAction = (d: ScheduleDescription) => (d.action.type === 'startWorkflow' ? d.action : undefined);

  async function expectNoSchedule(loopId: string): Promise<void> {
    await expect(schedule(loopId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  }

  /**
   * Schedules that start runs on this spec's own task queue; other specs use other queues. Each
   * must belong to a loop created here: a stranger would come from a create that was refused.
   */
  async function ourSchedules(): Promise<string[]> {
    const ids: string[] = [];
    for await (const s of temporal.schedule.list()) if (s.scheduleId.startsWith('loop-')) ids.push(s.scheduleId);
    const ours = await Promise.all(ids.map(async (id) => {
      const d = await temporal.schedule.getHandle(id).describe().catch((err: unknown) => {
        if (err instanceof ScheduleNotFoundError) return null; // listed, but deleted meanwhile
        throw err;
      });
      return d && startWorkflowAction(d)?.taskQueue === f.taskQueue ? id : null;
    }));
    return ours.filter((id): id is string => id !== null).sort();
  }

  describe('instances', () => {
    it('fills in the defaults: dry-run, allow-all overlap, a one-hour stage deadline, no approval, record target, newest policy version, kind param defaults', async () => {
      const res = await http().post('/api/v1/loops').set(f.admin)
        .send({ name: uniqueName(), kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' } });
      expect(res.status).toBe(201);
      made.push(res.body.id as string);
      expect(res.body).toMatchObject({
        kind: 'threshold-alert', policyVersion: THRESHOLD_ALERT_POLICY_VERSIONS[THRESHOLD_ALERT_POLICY_VERSIONS.length - 1],
        mode: 'dry-run', overlap: 'allow-all', stageDeadlineSeconds: 3600, approval: { when: 'never' }, actionTarget: { type: 'record' },
        enabled: true, paramsVersion: 1, trigger: { type: 'event' }, scheduleId: null,
      });
      expect(res.body.params).toEqual({ bound: 90, direction: 'above' });
      await expectNoSchedule(res.body.id as string);
    });

    it('fills in the noop kind defaults and its only policy version', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      expect(loop).toMatchObject({ policyVersion: 'noop@1', params: { decisions: 1, magnitude: 0 } });
    });

    it('reads a loop back by id and lists it under its kind', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      const one = await http().get(`/api/v1/loops/${loop.id}`).set(f.admin);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(loop);
      const list = await http().get('/api/v1/loops?kind=noop&limit=500').set(f.admin);
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(loop);
      expect((list.body as Loop[]).every((l) => l.kind === 'noop')).toBe(true);
    });

    it('updates name, mode and params, bumping paramsVersion only when the params change', async () => {
      const loop = await create({ kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' } });
      const renamed = await patch(loop.id, { name: 'renamed', mode: 'shadow' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'renamed', mode: 'shadow', paramsVersion: 1, params: { bound: 90, direction: 'above' } });
      const retuned = await patch(loop.id, { params: { bound: 95, direction: 'below' } });
      expect(retuned.status).toBe(200);
      expect(retuned.body).toMatchObject({ name: 'renamed', mode: 'shadow', paramsVersion: 2, params: { bound: 95, direction: 'below' } });
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body).toEqual(retuned.body);
    });

    it('keeps paramsVersion when an update leaves the params as they were (Postgres reorders jsonb keys)', async () => {
      const params = { bound: 90, direction: 'above', tuning: { minBound: 50, maxBound: 100, step: 1, targetPrecision: 0.8, window: 10 } };
      const loop = await create({ kind: 'threshold-alert', params, trigger: { type: 'event' } });
      const renamed = await patch(loop.id, { name: 'renamed' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.paramsVersion).toBe(1);
      const resent = await patch(loop.id, { params });
      expect(resent.status).toBe(200);
      expect(resent.body.paramsVersion).toBe(1);
      expect(resent.body.params).toEqual(params);
    });

    it('disables and enables a loop', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      const disabled = await http().post(`/api/v1/loops/${loop.id}/disable`).set(f.admin);
      expect(disabled.status).toBe(200);
      expect(disabled.body.enabled).toBe(false);
      const enabled = await http().post(`/api/v1/loops/${loop.id}/enable`).set(f.admin);
      expect(enabled.status).toBe(200);
      expect(enabled.body.enabled).toBe(true);
    });

    it('deletes a loop: afterwards GET, PATCH and a second DELETE answer 404', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      expect((await http().delete(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(204);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(404);
      expect((await patch(loop.id, { name: 'ghost' })).status).toBe(404);
      expect((await http().delete(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(404);
      const list = await http().get('/api/v1/loops?kind=noop&limit=500').set(f.admin);
      expect((list.body as Loop[]).map((l) => l.id)).not.toContain(loop.id);
    });
  });

  describe('Temporal Schedules', () => {
    it('gives a cron loop a Schedule with the explicit overlap policy and a six-hour catch-up window by default, starting runs on the API task queue', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY, overlap: 'buffer-one' });
      expect(loop.scheduleId).toBe(loopScheduleId(loop.id));
      expect(loop.trigger).toEqual({ ...NIGHTLY, catchupWindowSeconds: 6 * 3600 });
      const d = await schedule(loop.id);
      expect(d.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 6 * 3600_000, pauseOnFailure: false });
      expect(d.state.paused).toBe(false);
      expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
      expect(startWorkflowAction(d)).toMatchObject({ workflowType: 'loopRunWorkflow', taskQueue: f.taskQueue, args: [{ loopId: loop.id, trigger: 'schedule' }] });
    });

    it('gives an interval loop a Schedule at its interval, allowing overlaps by default, its catch-up window kept below the interval', async () => {
      const loop = await create({ kind: 'noop', trigger: HOURLY_INTERVAL });
      const d = await schedule(loop.id);
      expect(d.policies.overlap).toBe('ALLOW_ALL');
      // Six hours would make up six missed fires at once after an outage; one is enough.
      expect(d.policies.catchupWindow).toBe(3599_000);
      expect(d.spec.intervals).toEqual([expect.objectContaining({ every: 3_600_000 })]);
    });

    it('changes the Schedule spec and policy when the trigger, its catch-up window and overlap are updated', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY, overlap: 'skip' });
      expect((await schedule(loop.id)).policies.overlap).toBe('SKIP');
      const recron = await patch(loop.id, { trigger: { type: 'cron', cron: '30 4 * * *', catchupWindowSeconds: 7200 }, overlap: 'allow-all' });
      expect(recron.status).toBe(200);
      expect(recron.body.trigger).toEqual({ type: 'cron', cron: '30 4 * * *', catchupWindowSeconds: 7200 });
      let d = await schedule(loop.id);
      expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] })]);
      expect(d.policies.overlap).toBe('ALLOW_ALL');
      expect(d.policies.catchupWindow).toBe(7200_000);
      expect((await patch(loop.id, { trigger: { type: 'interval', everySeconds: 7200 } })).status).toBe(200);
      d = await schedule(loop.id);
      expect(d.spec.intervals).toEqual([expect.objectContaining({ every: 7_200_000 })]);
      expect(d.spec.calendars ?? []).toEqual([]);
    });

    it('pauses the Schedule on every disable and resumes it on every enable', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY });
      // Several rounds: a pause sent apart from the Schedule update could lose a race with it.
      for (let round = 0; round < 10; round++) {
        await http().post(`/api/v1/loops/${loop.id}/disable`).set(f.admin).expect(200);
        expect((await schedule(loop.id)).state).toMatchObject({ paused: true, note: 'disabled through the API' });
        await http().post(`/api/v1/loops/${loop.id}/enable`).set(f.admin).expect(200);
        expect((await schedule(loop.id)).state.paused).toBe(false);
      }
    });

    it('creates the Schedule paused for a loop created disabled, and an update keeps it paused', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY, enabled: false });
      expect((await schedule(loop.id)).state.paused).toBe(true);
      expect((await patch(loop.id, { trigger: { type: 'cron', cron: '0 3 * * *' } })).status).toBe(200);
      expect((await schedule(loop.id)).state.paused).toBe(true);
    });

    it('removes the Schedule when the loop is deleted', async () => {
      const loop = await create({ kind: 'noop', trigger: HOURLY_INTERVAL });
      await schedule(loop.id);
      expect((await http().delete(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(204);
      await expectNoSchedule(loop.id);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(404);
    });

    it('removes the Schedule when the trigger switches to event, and makes it again when it switches back', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY });
      const toEvent = await patch(loop.id, { trigger: { type: 'event' } });
      expect(toEvent.status).toBe(200);
      expect(toEvent.body.scheduleId).toBeNull();
      await expectNoSchedule(loop.id);
      expect((await patch(loop.id, { trigger: HOURLY_INTERVAL })).status).toBe(200);
      expect((await schedule(loop.id)).spec.intervals).toEqual([expect.objectContaining({ every: 3_600_000 })]);
    });

    it('refuses a catch-up window or a stage deadline out of range with a 400 naming the field, and keeps a valid stage deadline', async () => {
      const early = await http().post('/api/v1/loops').set(f.admin).send({ name: uniqueName(), kind: 'noop', trigger: { ...NIGHTLY, catchupWindowSeconds: 5 } });
      expect(early.status).toBe(400);
      expect(early.body.errors).toEqual([expect.objectContaining({ field: 'trigger.catchupWindowSeconds' })]);
      const short = await http().post('/api/v1/loops').set(f.admin).send({ name: uniqueName(), kind: 'noop', trigger: NIGHTLY, stageDeadlineSeconds: 30 });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'stageDeadlineSeconds' })]);
      const loop = await create({ kind: 'noop', trigger: { type: 'event' }, stageDeadlineSeconds: 600 });
      expect(loop).toMatchObject({ stageDeadlineSeconds: 600 });
      expect((await patch(loop.id, { stageDeadlineSeconds: 7200 })).body).toMatchObject({ stageDeadlineSeconds: 7200 });
    });

    it('leaves the row and the Schedule as they were when an update fails validation', async () => {
      const loop = await create({ kind: 'noop', trigger: NIGHTLY });
      const before = await schedule(loop.id);
      const res = await patch(loop.id, { trigger: { type: 'cron', cron: '61 * * * *' } });
      expect(res.status).toBe(400);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body).toEqual(loop);
      expect((await schedule(loop.id)).spec).toEqual(before.spec);
    });
  });

  describe('field errors on create', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an unknown kind', { kind: 'no-such-kind', trigger: NIGHTLY }, 'kind'],
      ['params that do not fit the kind', { kind: 'threshold-alert', params: { bound: 'abc' }, trigger: NIGHTLY }, 'params.bound'],
      ['a cron with a minute out of range', { kind: 'noop', trigger: { type: 'cron', cron: '61 * * * *' } }, 'trigger.cron'],
      [
        'a webhook host missing from OUTBOUND_ALLOWED_HOSTS',
        { kind: 'noop', trigger: NIGHTLY, actionTarget: { type: 'webhook', url: 'https://hooks.not-allowed.example/notify' } },
        'actionTarget.url',
      ],
      ['an unknown policy version', { kind: 'threshold-alert', policyVersion: 'threshold-alert@999', params: { bound: 1 }, trigger: NIGHTLY }, 'policyVersion'],
    ];

    it.each(cases)('answers 400 naming the field and creates neither row nor Schedule for %s', async (_what, body, field) => {
      const name = uniqueName();
      const res = await http().post('/api/v1/loops').set(f.admin).send({ name, ...body });

      expect(res.status).toBe(400);
      const errors = res.body as ErrorBody;
      expect(errors.message).toBe('Validation failed');
      expect(errors.errors).toContainEqual({ field, messages: [expect.any(String)] });
      const list = await http().get(`/api/v1/loops?kind=${String(body.kind)}&limit=500`).set(f.admin);
      expect((list.body as Loop[]).map((l) => l.name)).not.toContain(name);
      const known = new Set(made.map(loopScheduleId));
      expect((await ourSchedules()).filter((id) => !known.has(id))).toEqual([]);
    });
  });

  describe('roles and ids', () => {
    it('lets a viewer read loops but answers 403 to its create, update, disable and delete', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      expect((await http().get('/api/v1/loops').set(keys.viewer)).status).toBe(200);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(keys.viewer)).status).toBe(200);
      expect((await http().post('/api/v1/loops').set(keys.viewer).send({ name: 'x', kind: 'noop', trigger: { type: 'event' } })).status).toBe(403);
      expect((await http().patch(`/api/v1/loops/${loop.id}`).set(keys.viewer).send({ name: 'x' })).status).toBe(403);
      expect((await http().post(`/api/v1/loops/${loop.id}/disable`).set(keys.viewer)).status).toBe(403);
      expect((await http().delete(`/api/v1/loops/${loop.id}`).set(keys.viewer)).status).toBe(403);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body).toEqual(loop);
    });

    it('answers 401 without a key', async () => {
      expect((await http().get('/api/v1/loops')).status).toBe(401);
      expect((await http().post('/api/v1/loops').send({ name: 'x', kind: 'noop', trigger: { type: 'event' } })).status).toBe(401);
    });

    it('lets an operator create and update a loop, while deleting it needs an admin', async () => {
      const res = await http().post('/api/v1/loops').set(keys.operator).send({ name: uniqueName(), kind: 'noop', trigger: { type: 'event' } });
      expect(res.status).toBe(201);
      made.push(res.body.id as string);
      // Tightening or neutral edits only: loosening ones need an admin (tests/e2e/separation-of-duties.spec.ts).
      expect((await http().patch(`/api/v1/loops/${res.body.id}`).set(keys.operator).send({ mode: 'shadow' })).status).toBe(200);
      const refused = await http().delete(`/api/v1/loops/${res.body.id}`).set(keys.operator);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/needs the admin role/);
      expect((await http().delete(`/api/v1/loops/${res.body.id}`).set(f.admin)).status).toBe(204);
    });

    it('answers 404 for an unknown id on every route', async () => {
      expect((await http().get(`/api/v1/loops/${UNKNOWN_ID}`).set(f.admin)).status).toBe(404);
      expect((await patch(UNKNOWN_ID, { name: 'x' })).status).toBe(404);
      expect((await http().post(`/api/v1/loops/${UNKNOWN_ID}/disable`).set(f.admin)).status).toBe(404);
      expect((await http().post(`/api/v1/loops/${UNKNOWN_ID}/runs`).set(f.admin).send({})).status).toBe(404);
      expect((await http().post(`/api/v1/loops/${UNKNOWN_ID}/events`).set(f.admin).send({ eventId: 'e1', payload: READINGS })).status).toBe(404);
      expect((await http().delete(`/api/v1/loops/${UNKNOWN_ID}`).set(f.admin)).status).toBe(404);
    });

    it('answers 400 for a malformed id', async () => {
      expect((await http().get('/api/v1/loops/not-a-uuid').set(f.admin)).status).toBe(400);
      expect((await http().delete('/api/v1/loops/123').set(f.admin)).status).toBe(400);
    });

    it('refuses to change the kind of a loop with a field error', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' } });
      const res = await patch(loop.id, { kind: 'threshold-alert', params: { bound: 1 } });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).errors).toEqual([{ field: 'kind', messages: [expect.stringMatching(/cannot change/)] }]);
      expect((await http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).body).toEqual(loop);
    });
  });

  describe('starting runs', () => {
    it('answers 409 to run now on a disabled loop', async () => {
      const loop = await create({ kind: 'noop', trigger: { type: 'event' }, enabled: false });
      const res = await http().post(`/api/v1/loops/${loop.id}/runs`).set(f.admin).send({});
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/disabled/);
    });

    it('answers 409 to an event for a cron-triggered loop', async () => {
      const loop = await create({ kind: 'threshold-alert', params: { bound: 90 }, trigger: NIGHTLY });
      const res = await http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin).send({ eventId: randomUUID(), payload: READINGS });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/not by events/);
    });

    it("answers 400 naming the field when an event payload does not fit the kind's event schema", async () => {
      const loop = await create({ kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' } });
      const res = await http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin)
        .send({ eventId: randomUUID(), payload: { readings: [{ series: 'cpu.eu', value: 'high' }] } });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).message).toBe('Validation failed');
      expect((res.body as ErrorBody).errors).toContainEqual({ field: 'payload.readings.0.value', messages: [expect.any(String)] });
      expect((await http().get(`/api/v1/runs?loopId=${loop.id}`).set(f.admin)).body).toEqual([]);
    });

    it('starts one run per event id: a repeat, right away or after the run ended, answers duplicate with the same workflow id', async () => {
      const loop = await create({ kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' } });
      const send = () => http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin).send({ eventId: 'sensor-batch-42', payload: READINGS });
      const first = await send();
      expect(first.status).toBe(202);
      expect(first.body.duplicate).toBe(false);
      const again = await send();
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ duplicate: true, workflowId: first.body.workflowId });

      const runs = await eventually(async () => {
        const res = await http().get(`/api/v1/runs?loopId=${loop.id}`).set(f.admin);
        const list = res.body as { status: string; workflowId: string }[];
        return list.length > 0 && list.every((r) => r.status === 'completed') ? list : undefined;
      }, 'the event run to complete');
      const afterEnd = await send();
      expect(afterEnd.body).toMatchObject({ duplicate: true, workflowId: first.body.workflowId });
      expect(runs.map((r) => r.workflowId)).toEqual([first.body.workflowId]);
      expect((await http().get(`/api/v1/runs?loopId=${loop.id}`).set(f.admin)).body).toHaveLength(1);
    });
  });
});
