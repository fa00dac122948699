/**
 * A threshold-alert loop reading a source: the collect stage pulls the source, the run and each
 * decision's ledger entry carry the quality report, and the source's gate policy decides what a
 * failing gate or a source that is down does to the run.
 */
import { createLoop, EngineFixture, getRun, runNow, runReaches, startEngine } from '../../support/engine-fixture';
import { createSource, JsonServer, startJsonServer } from '../../integration/sources/pull-fixtures';

interface QualityReport { ok: boolean; blocking: boolean; checks: { name: string; ok: boolean; message: string }[] }
interface RunWithSteps { status: string; error: string | null; steps: { stage: string; status: string; detail: Record<string, unknown> | null }[] }

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const reading = (series: string, value: unknown, ts = minutesAgo(1)) => ({ series, ts, value });

describe('a threshold-alert loop collecting from a source', () => {
  let f: EngineFixture;
  let server: JsonServer;
  const saved: Record<string, string | undefined> = {};
  let feed: unknown[] = [];
  let down = false;

  beforeAll(async () => {
    // Few, quick collect attempts: the down-source cases wait them out.
    for (const [k, v] of Object.entries({ SOURCE_COLLECT_ATTEMPTS: '2', SOURCE_COLLECT_BACKOFF_MS: '50' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    server = await startJsonServer();
    server.handle(() => (down ? { status: 503 } : { status: 200, body: { items: feed } }));
    f = await startEngine();
  });
  afterAll(async () => {
    await f.close();
    await server.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function sourceLoop(gatePolicy: 'warn' | 'block') {
    const source = await createSource(f.api, { kind: 'http', gatePolicy, config: { url: `${server.origin}/readings`, itemsPath: 'items', retries: 0 } });
    const loop = await createLoop(f, {
      kind: 'threshold-alert', mode: 'live', trigger: { type: 'event' }, actionTarget: { type: 'record' },
      params: { bound: 90, direction: 'above', source: { sourceId: source.id, series: ['cpu.eu', 'cpu.us'] } },
    });
    return { sourceId: source.id, loopId: loop.id };
  }

  async function runDetail(runId: string): Promise<RunWithSteps> {
    return (await f.api.http().get(`/api/v1/runs/${runId}`).set(f.admin)).body as RunWithSteps;
  }

  const qualityOf = (run: RunWithSteps) => run.steps.find((s) => s.stage === 'quality' && s.status === 'completed')!.detail as unknown as QualityReport;

  async function ledgerQualities(runId: string): Promise<unknown[]> {
    const res = await f.api.http().get(`/api/v1/ledger?runId=${runId}`).set(f.admin);
    return (res.body.entries as { type: string; body: { quality: unknown } }[]).filter((e) => e.type === 'decision').map((e) => e.body.quality);
  }

  const health = async (sourceId: string) => (await f.api.http().get(`/api/v1/sources/${sourceId}/health`).set(f.admin)).body as { healthy: boolean; lastError: string | null };

  it('pulls the source, decides on the newest reading of each series and records the quality report in the run and the ledger', async () => {
    feed = [reading('cpu.eu', 80, minutesAgo(10)), reading('cpu.eu', 97), reading('cpu.us', 40)];
    down = false;
    const { loopId, sourceId } = await sourceLoop('warn');
    const runId = await runNow(f, loopId);
    const run = await runReaches(f, runId, ['completed', 'failed']);

    expect(run.status).toBe('completed');
    expect(run.decisions.map((d) => [d.subject, d.decision])).toEqual([['cpu.eu', 'notify'], ['cpu.us', 'hold']]);
    const quality = qualityOf(await runDetail(runId));
    expect(quality).toMatchObject({ ok: true, blocking: false });
    expect(quality.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['source-available', 'source.schema', 'source.freshness', 'readings-present', 'expected-series']));
    expect(await ledgerQualities(runId)).toEqual([quality, quality]);
    expect((await health(sourceId)).healthy).toBe(true);
  });

  it('stops a run before deciding when the batch fails the gate of a blocking source', async () => {
    feed = [reading('cpu.eu', 97), reading('cpu.us', 'not a number')];
    down = false;
    const { loopId } = await sourceLoop('block');
    const runId = await runNow(f, loopId);
    const run = await runReaches(f, runId, ['completed', 'failed']);

    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^blocked by the quality gate: source\.schema: 1 of 2 rows failed the schema/);
    expect(run.decisions).toEqual([]);
    const detail = await runDetail(runId);
    expect(detail.steps.map((s) => s.stage)).not.toContain('decide');
    expect(qualityOf(detail)).toMatchObject({ ok: false, blocking: true });
    expect(await ledgerQualities(runId)).toEqual([]);
    const ledger = await f.api.http().get(`/api/v1/ledger?runId=${runId}`).set(f.admin);
    expect(ledger.body.entries).toEqual([expect.objectContaining({
      type: 'blocked',
      body: expect.objectContaining({ blockedBy: 'quality gate', reason: expect.stringMatching(/^source\.schema: /), quality: qualityOf(detail) }),
    })]);
  });

  it('marks a source that stays down unhealthy and blocks the run when its gate policy is block', async () => {
    down = true;
    const { loopId, sourceId } = await sourceLoop('block');
    const runId = await runNow(f, loopId);
    const run = await runReaches(f, runId, ['completed', 'failed']);

    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^blocked by the quality gate: source-available: source .* is down: GET 127\.0\.0\.1:\d+\/readings answered 503 \(after 2 attempts\)/);
    expect(await health(sourceId)).toMatchObject({ healthy: false, lastError: expect.stringContaining('answered 503') });
  });

  it('continues on the stored readings, with the failure in its quality report, when a warn source is down', async () => {
    feed = [reading('cpu.eu', 95), reading('cpu.us', 30)];
    down = false;
    const { loopId, sourceId } = await sourceLoop('warn');
    await runReaches(f, await runNow(f, loopId), ['completed']);

    down = true;
    const runId = await runNow(f, loopId);
    const run = await runReaches(f, runId, ['completed', 'failed']);
    expect(run.status).toBe('completed');
    expect(run.decisions.map((d) => [d.subject, d.decision])).toEqual([['cpu.eu', 'notify'], ['cpu.us', 'hold']]);
    const quality = qualityOf(await runDetail(runId));
    expect(quality).toMatchObject({ ok: false, blocking: false });
    expect(quality.checks.find((c) => c.name === 'source-available')).toMatchObject({ ok: false, message: expect.stringContaining('answered 503') });
    expect(await ledgerQualities(runId)).toEqual([quality, quality]);
    expect((await health(sourceId)).healthy).toBe(false);
    expect((await getRun(f, runId)).steps.filter((s) => s.stage === 'collect').map((s) => s.status)).toEqual(['started', 'completed']);
  });
});
