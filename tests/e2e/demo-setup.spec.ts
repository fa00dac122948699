/**
 * The demo shop `npm start` sets up, against the real API over HTTP: four sources with two years
 * of history, a nightly dry-run replenishment loop, nothing duplicated by a second start, only the
 * missing days pushed by a later one, and a run of the loop that decides for the shop's items.
 */
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { dayOf, isoDay } from '../../apps/cli/src/start/demo/demo-data';
import { DEMO_APPROVAL_THRESHOLD, DEMO_SOURCE_ROLES, demoLoopName, demoSourceName } from '../../apps/cli/src/start/demo/demo-definitions';
import { SKU_WITHOUT_LEAD_TIME } from '../../apps/cli/src/start/demo/demo-catalog';
import { DemoSetupResult, setUpDemo } from '../../apps/cli/src/start/demo/demo-setup';
import { setUpDemoAtStart } from '../../apps/cli/src/start/demo/demo-start';
import { apiAddress } from '../../apps/cli/src/start/api-address';
import { EngineFixture, runNow, runReaches, startEngine } from '../support/engine-fixture';
import { eventually } from '../support/eventually';

const DAY_MS = 86_400_000;
const PREFIX = 'demo shop';
const ROWS_PER_DAY = 50 * 2;

describe('demo shop at npm start', () => {
  let f: EngineFixture;
  let baseUrl: string;
  let port: number;
  let ds: DataSource;
  const now = new Date();
  const yesterday = dayOf(now) - 1;
  let first: DemoSetupResult;

  beforeAll(async () => {
    f = await startEngine();
    await f.api.app.listen(0, '127.0.0.1');
    port = (f.api.app.getHttpServer().address() as AddressInfo).port;
    baseUrl = `http://127.0.0.1:${port}`;
    ds = f.api.app.get(DataSource);
  });
  afterAll(() => f.close());

  const get = async <T>(path: string): Promise<T> => {
    const res = await f.api.http().get(path).set(f.admin);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const health = (id: string) => get<{ rowsTotal: number; quarantinedTotal: number; newestTs: string | null }>(`/api/v1/sources/${id}/health`);
  const demoSources = async () => (await get<{ id: string; name: string }[]>('/api/v1/sources')).filter((s) => s.name.startsWith(`${PREFIX}:`));
  const demoLoops = async () => (await get<{ id: string; name: string }[]>('/api/v1/loops?kind=replenishment')).filter((l) => l.name === demoLoopName(PREFIX));
  const lineStatus = async (poNumber: string, sku: string, location: string) => {
    const [row] = await ds.query(`SELECT record->>'status' AS status FROM observations WHERE source_id = $1 AND record->>'poNumber' = $2
      AND record->>'sku' = $3 AND record->>'location' = $4`, [first.sourceIds.openOrders, poNumber, sku, location]);
    return (row as { status: string } | undefined)?.status;
  };

  it('OPSLOOP_DEMO=0 sets up nothing and adds nothing to the banner', async () => {
    const lines = await withDemoEnv('0', () => setUpDemoAtStart({ api: apiAddress('127.0.0.1', port), adminKey: f.api.adminKey, log: () => undefined, interrupted: new Promise(() => undefined) }));
    expect(lines).toEqual([]);
    expect(await demoSources()).toEqual([]);
    expect(await demoLoops()).toEqual([]);
  });

  it('creates the four sources with two years of history up to yesterday and the nightly dry-run loop', async () => {
    first = await setUpDemo({ baseUrl, adminKey: f.api.adminKey, now });
    expect(first.created.sort()).toEqual([...DEMO_SOURCE_ROLES.map((r) => demoSourceName(PREFIX, r)), demoLoopName(PREFIX)].sort());
    expect(first.days).toEqual({ from: isoDay(yesterday - 729), to: isoDay(yesterday) });
    expect(first.sent.demand).toBe(730 * ROWS_PER_DAY);
    expect(first.sent.onHand).toBe(730 * ROWS_PER_DAY);
    expect(first.sent.itemMaster).toBe(51);
    expect(first.sent.openOrders).toBeGreaterThan(5_000);
    expect(first.written).toEqual(first.sent);

    const demand = await health(first.sourceIds.demand);
    expect(demand).toMatchObject({ rowsTotal: 730 * ROWS_PER_DAY, quarantinedTotal: 0, newestTs: isoDay(yesterday) });
    expect(await health(first.sourceIds.onHand)).toMatchObject({ rowsTotal: 730 * ROWS_PER_DAY, quarantinedTotal: 0, newestTs: isoDay(yesterday) });
    expect(await health(first.sourceIds.openOrders)).toMatchObject({ rowsTotal: first.sent.openOrders, quarantinedTotal: 0 });
    expect(await health(first.sourceIds.itemMaster)).toMatchObject({ rowsTotal: 51, quarantinedTotal: 0 });

    const loop = await get<Record<string, unknown>>(`/api/v1/loops/${first.loopId}`);
    expect(loop).toMatchObject({
      name: demoLoopName(PREFIX), kind: 'replenishment', mode: 'dry-run', enabled: true,
      trigger: { type: 'cron', cron: '0 2 * * *' },
      approval: { when: 'above', threshold: DEMO_APPROVAL_THRESHOLD },
      actionTarget: { type: 'record' },
      params: { sources: Object.fromEntries(DEMO_SOURCE_ROLES.map((r) => [r, expect.objectContaining({ sourceId: first.sourceIds[r] })])) },
    });
  });

  it('a second start finds the sources and the loop by name, pushes nothing, and prints the loop in the banner', async () => {
    const again = await setUpDemo({ baseUrl, adminKey: f.api.adminKey, now });
    expect(again).toMatchObject({ loopId: first.loopId, sourceIds: first.sourceIds, created: [], days: null });
    expect(again.sent).toEqual({ demand: 0, onHand: 0, openOrders: 0, itemMaster: 0 });
    expect(await demoSources()).toHaveLength(4);
    expect(await demoLoops()).toHaveLength(1);
    expect((await health(first.sourceIds.demand)).rowsTotal).toBe(730 * ROWS_PER_DAY);

    const log: string[] = [];
    // The test stack's DATABASE_URL is set, which turns the demo off unless asked for.
    const lines = await withDemoEnv('1', () => setUpDemoAtStart({ api: apiAddress('127.0.0.1', port), adminKey: f.api.adminKey, log: (l) => log.push(l), interrupted: new Promise(() => undefined) }));
    expect({ lines, log }).toMatchObject({ lines: [expect.stringContaining(first.loopId), expect.stringContaining(`/api/v1/loops/${first.loopId}/runs`)] });
    expect(await demoLoops()).toHaveLength(1);
  });

  it('a start days later pushes only the missing days and re-sends the purchase-order lines that arrived meanwhile', async () => {
    const [open] = await ds.query(`SELECT record->>'poNumber' AS po, record->>'sku' AS sku, record->>'location' AS location
      FROM observations WHERE source_id = $1 AND record->>'status' = 'open' ORDER BY ts LIMIT 1`, [first.sourceIds.openOrders]);
    expect(open).toBeDefined();

    const later = await setUpDemo({ baseUrl, adminKey: f.api.adminKey, now: new Date(now.getTime() + 30 * DAY_MS) });
    expect(later.created).toEqual([]);
    expect(later.days).toEqual({ from: isoDay(yesterday + 1), to: isoDay(yesterday + 30) });
    expect(later.sent.demand).toBe(30 * ROWS_PER_DAY);
    expect(later.written.demand).toBe(30 * ROWS_PER_DAY);
    expect((await health(first.sourceIds.demand)).rowsTotal).toBe(760 * ROWS_PER_DAY);
    expect((await health(first.sourceIds.onHand)).newestTs).toBe(isoDay(yesterday + 30));
    expect(await lineStatus(open.po, open.sku, open.location)).toBe('received');
  });

  it('a first start interrupted mid-push is completed by the next one, without duplicates', async () => {
    const prefix = 'interrupted demo';
    const abort = new AbortController();
    const interrupted = setUpDemo({ baseUrl, adminKey: f.api.adminKey, now, namePrefix: prefix, signal: abort.signal });
    // Ctrl-C once the first batches are in.
    const onHandId = await eventually(async () =>
      (await get<{ id: string; name: string }[]>('/api/v1/sources')).find((s) => s.name === demoSourceName(prefix, 'onHand'))?.id, 'the on-hand source');
    await eventually(async () => ((await health(onHandId)).rowsTotal > 0 ? true : undefined), 'a first on-hand batch', 60_000);
    abort.abort();
    await expect(interrupted).rejects.toThrow();
    const partial = (await health(onHandId)).rowsTotal;
    expect(partial).toBeLessThan(730 * ROWS_PER_DAY);

    const resumed = await setUpDemo({ baseUrl, adminKey: f.api.adminKey, now, namePrefix: prefix });
    expect(resumed.sourceIds.onHand).toBe(onHandId);
    expect(resumed.created).toEqual([demoLoopName(prefix)]);
    expect(await health(resumed.sourceIds.onHand)).toMatchObject({ rowsTotal: 730 * ROWS_PER_DAY, newestTs: isoDay(yesterday) });
    expect(await health(resumed.sourceIds.demand)).toMatchObject({ rowsTotal: 730 * ROWS_PER_DAY, newestTs: isoDay(yesterday) });
    expect(resumed.sent.onHand).toBeLessThanOrEqual(730 * ROWS_PER_DAY - partial + 120 * ROWS_PER_DAY);
  });

  it('a run of the demo loop lists the orders it would place, sends nothing, and says which item lacks a lead time', async () => {
    const runId = await runNow(f, first.loopId);
    const run = await runReaches(f, runId, ['measuring', 'completed', 'failed'], 300_000);
    expect({ status: run.status, error: run.error }).toEqual({ status: 'measuring', error: null });
    const orders = run.decisions.filter((d) => d.decision === 'order');
    // A one-day review orders only the items that fell below their level since yesterday.
    expect(orders.length).toBeGreaterThan(0);
    // dry-run: recorded, not acted on, and nobody is asked to approve.
    for (const d of orders) expect(d).toMatchObject({ actionStatus: 'skipped', approval: { status: 'not-required' } });

    const { entries } = await get<{ entries: { body: Record<string, unknown> }[] }>(`/api/v1/ledger?runId=${runId}&type=decision&limit=500`);
    const notOrdered = entries.map((e) => e.body).filter((b) => JSON.stringify(b).includes('not ordered: missing lead time'));
    expect(notOrdered.map((b) => b['subject']).sort()).toEqual([`${SKU_WITHOUT_LEAD_TIME}@store-1`, `${SKU_WITHOUT_LEAD_TIME}@store-2`]);
  });
});

async function withDemoEnv<T>(value: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env.OPSLOOP_DEMO;
  process.env.OPSLOOP_DEMO = value;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.OPSLOOP_DEMO;
    else process.env.OPSLOOP_DEMO = saved;
  }
}
