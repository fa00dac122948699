/**
 * One rule for text at the edge, on every route: a NUL or a lone UTF-16 surrogate anywhere in a
 * body, query or path is a 400 naming the field (never a 500 from Postgres), and a round-trip
 * message the workflow would refuse is refused by the API first (never a 503 after a wait).
 */
import { randomUUID } from 'node:crypto';
import { createLoop, EngineFixture, startEngine } from '../support/engine-fixture';

type FieldErrors = { errors: { field: string; messages: string[] }[] };

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

describe('text Postgres cannot store is a 400 naming the field, on every route', () => {
  let f: EngineFixture;

  beforeAll(async () => {
    f = await startEngine();
  });
  afterAll(() => f.close());

  const http = () => f.api.http();
  const fields = (body: FieldErrors) => body.errors.map((e) => e.field);
  const expectRefused = (res: { status: number; body: FieldErrors }, field: string, why: RegExp) => {
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual([field]);
    expect(res.body.errors[0]!.messages[0]).toMatch(why);
  };

  it('refuses a NUL in a loop name', async () => {
    const res = await http().post('/api/v1/loops').set(f.admin).send({ name: NUL, kind: 'noop', trigger: { type: 'event' } });
    expectRefused(res, 'name', /^name must not contain a NUL character/);
  });

  it('refuses a NUL in a source name', async () => {
    const res = await http().post('/api/v1/sources').set(f.admin).send({
      name: NUL, kind: 'push',
      schema: { fields: [{ name: 'ts', type: 'timestamp', required: true }], uniqueKey: ['ts'], timeField: 'ts', seriesKey: [], dimensions: [] },
    });
    expectRefused(res, 'name', /NUL character/);
  });

  it('refuses a NUL in an API key name', async () => {
    const res = await http().post('/api/v1/api-keys').set(f.admin).send({ name: NUL, role: 'viewer' });
    expectRefused(res, 'name', /NUL character/);
  });

  it('refuses a lone surrogate in a loop name, and in a key deep inside params', async () => {
    expectRefused(await http().post('/api/v1/loops').set(f.admin).send({ name: LONE, kind: 'noop', trigger: { type: 'event' } }), 'name', /lone UTF-16 surrogate \(\\ud800; at character 2\)/);
    const nested = await http().post('/api/v1/loops').set(f.admin)
      .send({ name: `edge ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' }, params: { nested: [{ ['k\udc00']: 1 }] } });
    expectRefused(nested, 'params.nested.0', /^params\.nested\.0 has a key that must be valid Unicode/);
  });

  it('refuses a NUL in a query parameter and in a path parameter', async () => {
    expectRefused(await http().get('/api/v1/loops?kind=no%00op').set(f.admin), 'kind', /NUL character/);
    expectRefused(await http().get('/api/v1/loops/%00').set(f.admin), 'id', /NUL character/);
    expectRefused(await http().get('/api/v1/metrics/a%00b').set(f.admin), 'key', /NUL character/);
  });

  it('refuses a NUL in an approval reason before looking the decision up', async () => {
    const res = await http().post(`/api/v1/decisions/${randomUUID()}/approval`).set(f.admin).send({ verdict: 'approve', reason: NUL });
    expectRefused(res, 'reason', /NUL character/);
  });

  it('refuses a body nested deeper than any input needs, instead of walking it', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = [deep];
    const res = await http().post(`/api/v1/loops`).set(f.admin).send({ name: `deep ${randomUUID()}`, kind: 'noop', trigger: { type: 'event' }, params: { deep } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].messages[0]).toMatch(/is nested more than 64 levels deep/);
  });

  describe('round trips', () => {
    it.each([
      ['a NUL', NUL, /^message must not contain a NUL character/],
      ['only a no-break space', '\u00a0', /^message must be a non-empty string \(not only whitespace\)$/],
      ['only Unicode spaces', '\u2003\u3000\u2028', /^message must be a non-empty string/],
      ['a lone surrogate', LONE, /^message must be valid Unicode/],
    ])('refuses a message with %s at once, as the workflow would', async (_what, message, why) => {
      const started = Date.now();
      const res = await http().post('/api/v1/round-trips').set(f.admin).send({ id: randomUUID(), message });
      expectRefused(res, 'message', why);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe('events', () => {
    it('refuses a payload with a NUL without consuming the event id: the same id with a clean payload starts the run', async () => {
      const loop = await createLoop(f, { name: `edge events ${randomUUID()}`, kind: 'threshold-alert', params: { bound: 90 }, trigger: { type: 'event' } });
      const eventId = randomUUID();
      const refused = await http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin)
        .send({ eventId, payload: { readings: [{ series: NUL, value: 95 }] } });
      expectRefused(refused, 'payload.readings.0.series', /NUL character/);

      const runs = await http().get(`/api/v1/runs?loopId=${loop.id}`).set(f.admin);
      expect(runs.body).toEqual([]);

      const accepted = await http().post(`/api/v1/loops/${loop.id}/events`).set(f.admin)
        .send({ eventId, payload: { readings: [{ series: 'cpu.eu', value: 95 }] } });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ duplicate: false, runId: expect.any(String) });
    });
  });
});
