/**
 * The effect row of a business intent in Postgres: of decisions racing for one intent only one
 * may send, the unique intent key holds even against a hand-written insert, a failed intent can
 * be taken over under the same key, and stale `sending` rows are leased to one sweeper at a time.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, TypeOrmActionEffectRepository } from '@opsloop/persistence';
import { ActionIntents1768400000000 } from '../../../libs/persistence/src/migrations/1768400000000-ActionIntents';
import { createScratchDatabase, ScratchDatabase } from '../../support/scratch-database';

describe('action effects keyed by business intent', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let effects: TypeOrmActionEffectRepository;
  let runId: string;
  let loopId: string;

  beforeAll(async () => {
    db = await createScratchDatabase('effects');
    ds = await new DataSource(dataSourceOptions(db.url, 12)).initialize();
    effects = new TypeOrmActionEffectRepository(ds);
    loopId = randomUUID();
    await ds.query(
      `INSERT INTO loops (id, name, kind, policy_version, params, mode, trigger, overlap, approval, action_target)
       VALUES ($1, 'effects', 'noop', 'noop@1', '{}', 'live', '{"type":"event"}', 'skip', '{"when":"never"}', '{"type":"record"}')`, [loopId]);
    [{ id: runId }] = await ds.query(
      `INSERT INTO loop_runs (workflow_id, loop_id, kind, mode, trigger, policy_version, params, params_version, approval, action_target, status)
       VALUES ($1, $2, 'noop', 'live', 'manual', 'noop@1', '{}', 1, '{"when":"never"}', '{"type":"record"}', 'acting') RETURNING id`, [`wf-${loopId}`, loopId]);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  let seq = 0;
  const decision = async (intentKey: string | null = null): Promise<string> => {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO decisions (id, run_id, loop_id, seq, subject, decision, magnitude, explanation, inputs, action, approval_status, action_status, intent_key)
       VALUES ($1, $2, $3, $4, 's', 'x', 0, '', '{}', '{}', 'not-required', 'pending', $5)`, [id, runId, loopId, ++seq, intentKey]);
    return id;
  };
  const claim = (key: string, intentKey: string, decisionId: string, staleAfterSeconds = 60) =>
    effects.claim({ key, intentKey, decisionId, target: 'record', staleAfterSeconds });
  const rowsOf = async (intentKey: string) => ds.query(`SELECT decision_id, status, attempts FROM action_effects WHERE intent_key = $1`, [intentKey]);

  it('lets exactly one of eight decisions racing for one intent send; the others are its duplicates', async () => {
    const intent = `${loopId}:order:race:${randomUUID()}`;
    const ids = await Promise.all(Array.from({ length: 8 }, () => decision(intent)));
    const claims = await Promise.all(ids.map((id) => claim(`k-${intent}`, intent, id)));

    const senders = ids.filter((_, i) => claims[i]!.state === 'send');
    expect(senders).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'duplicate')).toEqual(Array.from({ length: 7 }, () => ({ state: 'duplicate', of: senders[0], delivered: false })));
    expect(await rowsOf(intent)).toEqual([{ decision_id: senders[0], status: 'sending', attempts: 1 }]);
  });

  it('refuses a second effect row for an intent even when written by hand under another key', async () => {
    const intent = `${loopId}:alert:cpu:${randomUUID()}`;
    await claim(`k1-${intent}`, intent, await decision(intent));
    const other = await decision(intent);
    await expect(ds.query(
      `INSERT INTO action_effects (idempotency_key, intent_key, decision_id, target, status, attempts) VALUES ($1, $2, $3, 'record', 'sending', 1)`,
      [`k2-${intent}`, intent, other],
    )).rejects.toThrow(/action_effects_intent_key_unique/);
  });

  it('sends a held intent again under the same key until it is confirmed, then never again', async () => {
    const intent = `${loopId}:x:${randomUUID()}`;
    const a = await decision(intent);
    expect(await claim(`k-${intent}`, intent, a)).toEqual({ state: 'send', attempts: 1, tookOverFrom: null });
    expect(await claim(`k-${intent}`, intent, a)).toEqual({ state: 'send', attempts: 2, tookOverFrom: null });
    await effects.confirm(`k-${intent}`, { status: 201 });
    expect(await claim(`k-${intent}`, intent, a)).toEqual({ state: 'confirmed', response: { status: 201 }, attempts: 2 });
    expect(await claim(`k-${intent}`, intent, await decision(intent))).toEqual({ state: 'duplicate', of: a, delivered: true });
  });

  it('lets the next decision for an intent its holder gave up on send it, under the same key', async () => {
    const intent = `${loopId}:order:retry:${randomUUID()}`;
    const first = await decision(intent);
    await claim(`k-${intent}`, intent, first);
    expect(await effects.markFailed(`k-${intent}`, first, 'ERP answered 503 five times')).toBe(true);
    const second = await decision(intent);
    expect(await claim(`k-${intent}`, intent, second)).toEqual({ state: 'send', attempts: 1, tookOverFrom: first });
    // The first decision no longer holds the row: it cannot mark the second one's attempt failed.
    expect(await effects.markFailed(`k-${intent}`, first, 'late')).toBe(false);
    expect(await rowsOf(intent)).toEqual([{ decision_id: second, status: 'sending', attempts: 1 }]);
  });

  it('leases a stale sending row to one of two sweepers, and not again until it is stale once more', async () => {
    const intent = `${loopId}:stale:${randomUUID()}`;
    const a = await decision(intent);
    await claim(`k-${intent}`, intent, a, 1);
    const fresh = `${loopId}:fresh:${randomUUID()}`;
    await claim(`k-${fresh}`, fresh, await decision(fresh), 600);
    await new Promise((r) => setTimeout(r, 1100));

    const [one, two] = await Promise.all([effects.leaseStale(50), effects.leaseStale(50)]);
    const leased = [...one, ...two].filter((e) => e.intentKey === intent);
    expect(leased).toEqual([expect.objectContaining({ key: `k-${intent}`, decisionId: a, status: 'sending', attempts: 2, sweeps: 1 })]);
    expect([...one, ...two].some((e) => e.intentKey === fresh)).toBe(false);
    expect((await effects.leaseStale(50)).some((e) => e.intentKey === intent)).toBe(false);
  });

  it('makes rows left sending before the migration stale at once, so the sweep finds them', async () => {
    const migration = new ActionIntents1768400000000();
    const owner = await db.dataSource();
    const runner = owner.createQueryRunner();
    try {
      await owner.query(`DELETE FROM action_effects`);
      await migration.down(runner);
      const old = randomUUID();
      await owner.query(
        `INSERT INTO decisions (id, run_id, loop_id, seq, subject, decision, magnitude, explanation, inputs, action, approval_status, action_status)
         VALUES ($1, $2, $3, 1000, 's', 'x', 0, '', '{}', '{}', 'not-required', 'pending')`, [old, runId, loopId]);
      await owner.query(`INSERT INTO action_effects (idempotency_key, decision_id, target, status, attempts) VALUES ($1, $2, 'record', 'sending', 1)`, [`opsloop-decision-${old}`, old]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const leased = await effects.leaseStale(50);
    expect(leased).toEqual([expect.objectContaining({ key: expect.stringMatching(/^opsloop-decision-/), intentKey: null, status: 'sending', sweeps: 1 })]);
  });
});
