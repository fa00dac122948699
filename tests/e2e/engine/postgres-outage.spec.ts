/**
 * opsloop's own Postgres stopped in the middle of a run's collect stage, for longer than the old
 * retry budget (five attempts in about 30 s): the stage keeps retrying while Temporal records why
 * (DatabaseUnavailable), the run completes once Postgres is back, every order is delivered once,
 * and the run's timeline says the attempts in between could not reach Postgres.
 * Longer outages (10 s, 60 s, 3 min) are measured by `npm run bench:outage`.
 */
import { INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { EffectTarget, startEffectTarget } from '../../support/effect-target';
import { EngineFixture, createLoop, getRun, runNow, runReaches } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import { HeldFeed, startHeldFeed } from '../../support/held-feed';
import { startStoppablePostgres, StoppablePostgres } from '../../support/stoppable-postgres';
import { bearer, startTestApi, startTestWorker, TestApi, uniqueTaskQueue } from '../../support/test-apps';
import { createSource } from '../../integration/sources/pull-fixtures';

const OUTAGE_MS = 35_000;
const SERIES = Array.from({ length: 20 }, (_, i) => `store-${i + 1}.stockout-risk`);

describe('a run while Postgres is down', () => {
  let pg: StoppablePostgres;
  let api: TestApi;
  let worker: INestApplicationContext;
  let feed: HeldFeed;
  let target: EffectTarget;
  let temporal: Client;
  let f: EngineFixture;

  beforeAll(async () => {
    pg = await startStoppablePostgres();
    feed = await startHeldFeed(SERIES);
    target = await startEffectTarget();
    // One pull attempt: the source is fine, it is opsloop's database that is away.
    const env = {
      DATABASE_URL: pg.appUrl, DATABASE_MIGRATION_URL: pg.ownerUrl, TEMPORAL_TASK_QUEUE: uniqueTaskQueue(),
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost', SOURCE_COLLECT_ATTEMPTS: '1',
    };
    worker = await startTestWorker(env);
    api = await startTestApi(env);
    f = { api, worker, taskQueue: env.TEMPORAL_TASK_QUEUE, admin: bearer(api.adminKey), close: async () => undefined };
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await temporal?.connection.close();
    await feed?.close();
    await target?.close();
    await pg?.remove();
  });

  it('completes after Postgres returns, delivers each order once, and records that it waited for Postgres', async () => {
    const source = await createSource(api, { kind: 'http', gatePolicy: 'warn', config: { url: feed.url, itemsPath: 'items', retries: 0 } });
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 5, maxAttempts: 5 },
      params: { bound: 90, source: { sourceId: source.id, series: SERIES } },
    });
    const runId = await runNow(f, loop.id);
    const workflowId = (await getRun(f, runId) as unknown as { workflowId: string }).workflowId;
    await feed.held;

    await pg.stop();
    const stoppedAt = Date.now();
    feed.release();
    // What Temporal knows while nothing can be written: the collect stage retrying, waiting for Postgres.
    const pending = await eventually(async () => {
      const d = await temporal.workflow.getHandle(workflowId).describe();
      const p = d.raw.pendingActivities?.[0];
      return p && (p.attempt ?? 0) >= 3 && p.lastFailure?.applicationFailureInfo?.type === 'DatabaseUnavailable' ? p : undefined;
    }, 'the collect stage to retry while Postgres is down', OUTAGE_MS);
    expect(pending.lastFailure!.message).toMatch(/^opsloop's Postgres is unreachable: .+/);
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - stoppedAt)));

    await pg.start();
    const run = await runReaches(f, runId, ['completed', 'failed'], 60_000);
    expect(run.status).toBe('completed');

    // One delivery per order, under one key each.
    const keys = target.deliveries.map((d) => d.key);
    expect(run.decisions).toHaveLength(SERIES.length);
    expect(run.decisions.every((d) => d.actionStatus === 'succeeded')).toBe(true);
    expect(keys).toHaveLength(SERIES.length);
    expect(new Set(keys).size).toBe(SERIES.length);
    expect([...target.effects.values()].every((n) => n === 1)).toBe(true);

    // The timeline: the attempt that was inside collect, the ones that could not write a row, and the one that finished.
    const collect = run.steps.filter((s) => s.stage === 'collect') as unknown as { status: string; attempt: number; error: string | null; detail: { attempts: { from: number; to: number } } }[];
    expect(collect.map((s) => s.status)).toEqual(['started', 'abandoned', 'started', 'completed']);
    const abandoned = collect[1]!;
    expect(abandoned.detail.attempts.from).toBe(1);
    expect(abandoned.detail.attempts.to).toBeGreaterThanOrEqual(3);
    expect(abandoned.error).toMatch(new RegExp(`^attempts 1–${abandoned.detail.attempts.to} ended without finishing: opsloop's Postgres was unreachable: `));
    expect(collect[2]!.attempt).toBe(abandoned.detail.attempts.to + 1);
  }, 150_000);

  it('does not spend the webhook\'s attempts on a Postgres outage during act: the order is sent once Postgres is back', async () => {
    const source = await createSource(api, { kind: 'http', gatePolicy: 'warn', config: { url: feed.url, itemsPath: 'items', retries: 0 } });
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' },
      actionTarget: { type: 'webhook', url: target.url, timeoutSeconds: 5, maxAttempts: 3 },
      params: { bound: 90, source: { sourceId: source.id, series: [SERIES[0]!] } },
    });
    const before = target.deliveries.length;
    target.setDown(true);
    feed.release();
    const runId = await runNow(f, loop.id);
    // The first send reached the target (and failed there): now opsloop's Postgres goes away for
    // longer than the old budget of maxAttempts activity attempts would last.
    await eventually(async () => (target.deliveries.length > before ? true : undefined), 'a first delivery attempt', 60_000);
    await pg.stop();
    target.setDown(false);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await pg.start();

    const run = await runReaches(f, runId, ['completed', 'failed'], 90_000);
    expect(run.status).toBe('completed');
    expect(run.decisions.map((d) => d.actionStatus)).toEqual(['succeeded']);
    const keys = new Set(target.deliveries.slice(before).map((d) => d.key));
    expect(keys.size).toBe(1);
    expect(target.effects.get([...keys][0]!)).toBe(1);
  }, 180_000);
});
