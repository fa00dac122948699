/**
 * The replenishment loop end to end on the real stack: four push sources, a live run that holds a
 * large order for a planner, purchase proposals to the ERP once approved, the store's next two
 * weeks measured as outcomes, and the service-level factor tuned up after poor fill.
 */
import { getRun, runNow, runReaches } from '../../support/engine-fixture';
import {
  addDays, closingStock, createReplenishmentLoop, createSources, DATA_DATE, demandRows, idempotencyKeyOf, LOCATION, ledger, masterRow,
  onHandRows, openOrderRow, proposalsFor, pushAll, ReplenishmentSources, ReplenishmentStack, seedItems, startReplenishmentStack,
} from '../../support/replenishment-fixture';

/** Lead time 7 d + review 7 d: each order covers 14 days, and its outcome window is those 14 days. */
const WINDOW_DAYS = 14;
const repeat = (value: number, n = WINDOW_DAYS) => Array.from({ length: n }, () => value);

describe('replenishment loop: sources → decision → approval → ERP → outcome → tune', () => {
  let s: ReplenishmentStack;
  let sources: ReplenishmentSources;

  beforeAll(async () => {
    s = await startReplenishmentStack();
    sources = await createSources(s);
    await seedItems(s, sources, [
      // Flat 10/day sent as 6 + 4 each day; 20 on hand. S = 10 × 14 = 140 → order 120 × 25 = 3000: above the 2000 threshold.
      { sku: 'SKU-001', dailyDemand: 10, splits: 2, onHand: 20 },
      // 5/day, 12 on hand + 20 on order. S = 5 × 14 = 70 → shortfall 38 → 4 packs of 10 = 40 × 10 = 400.
      { sku: 'SKU-002', dailyDemand: 5, onHand: 12, master: { leadTimeDays: 7, unitCost: 10, packSize: 10, supplier: 'Beta Supply' } },
      // No lead time in the item master: the policy does not guess it.
      { sku: 'SKU-003', dailyDemand: 3, onHand: 0, master: { unitCost: 5, supplier: 'Gamma' } },
      // 500 on hand against S = 2 × 14 = 28: nothing to order, and no decision row.
      { sku: 'SKU-004', dailyDemand: 2, onHand: 500, master: { leadTimeDays: 7, unitCost: 4, supplier: 'Delta' } },
    ]);
    await pushAll(s, sources.itemMaster, [
      // SKU-001's master row holds for every location ('*').
      masterRow('SKU-001', { leadTimeDays: 7, unitCost: 25, supplier: 'Acme Foods' }, '*'),
      // A '*' row saying 14 days is overridden by the exact store-1 row seeded above (7 days).
      masterRow('SKU-002', { leadTimeDays: 14, unitCost: 10, packSize: 10, supplier: 'Beta Supply' }, '*'),
    ]);
    const ordered = addDays(DATA_DATE, -4);
    await pushAll(s, sources.openOrders, [
      openOrderRow('PO-100', 'SKU-002', 20, 'open', ordered),
      openOrderRow('PO-090', 'SKU-002', 50, 'open', addDays(ordered, -20)),
      openOrderRow('PO-095', 'SKU-002', 30, 'cancelled', addDays(ordered, -10)),
    ]);
    // PO-090 arrived: the store system re-sends the line as received, which no longer counts as on order.
    await pushAll(s, sources.openOrders, [openOrderRow('PO-090', 'SKU-002', 50, 'received', addDays(ordered, -20))]);
  });
  afterAll(() => s.close());

  it('orders per item, waits for approval of the large order, sends one proposal per order, then measures and tunes', async () => {
    const loop = await createReplenishmentLoop(s, sources, {
      params: { outcome: { afterSeconds: 3 }, tuning: { minFactor: 0.5, maxFactor: 2, step: 0.1, window: 2, tolerance: 0.01 } },
    });
    const runId = await runNow(s.f, loop.id);
    const waiting = await runReaches(s.f, runId, ['awaiting-approval', 'completed', 'failed', 'measuring']);
    expect(waiting.status).toBe('awaiting-approval');

    const decisions = Object.fromEntries(waiting.decisions.map((d) => [d.subject, d]));
    expect(Object.keys(decisions).sort()).toEqual(['SKU-001@store-1', 'SKU-002@store-1', 'SKU-003@store-1']);
    const big = decisions['SKU-001@store-1']!;
    const small = decisions['SKU-002@store-1']!;
    const noLeadTime = decisions['SKU-003@store-1']!;
    expect(big).toMatchObject({ decision: 'order', approval: { status: 'pending' } });
    expect(small).toMatchObject({ decision: 'order', approval: { status: 'not-required' } });
    expect(noLeadTime).toMatchObject({ decision: 'not-ordered', actionStatus: 'none' });
    // The reason first, then why it waits for a person, then the statistics.
    expect(big.explanation).toMatch(/^Order 120 units \(3000\.00\) because 20 on hand cover 2 days against a lead time of 7 days plus a review period of 7 days\. Needs approval: value 3000\.00 is above the threshold 2000\.00\. Forecast: /);
    expect(small.explanation).not.toMatch(/approval/i);
    // Nothing goes to the ERP while one order of the run waits for a person.
    expect(s.erp.deliveries.filter((d) => d.body['loopId'] === loop.id)).toEqual([]);

    await pushWhatHappenedNext(s, sources);
    const approved = await s.f.api.http().post(`/api/v1/decisions/${big.id}/approval`).set(s.operator).send({ verdict: 'approve', reason: 'promotion next week' });
    expect(approved.status).toBe(200);

    const acted = await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);
    expect(acted.decisions.find((d) => d.id === big.id)!.actionStatus).toBe('succeeded');
    expect(acted.decisions.find((d) => d.id === small.id)!.actionStatus).toBe('succeeded');

    // Exactly one purchase proposal per ordered item, keyed by its intent (loop, sku, location, data date), carrying the contract payload.
    expect(s.erp.deliveries.filter((d) => d.body['loopId'] === loop.id)).toHaveLength(2);
    const [toBig] = proposalsFor(s.erp, big.id);
    const [toSmall] = proposalsFor(s.erp, small.id);
    expect(toBig!.key).toBe(idempotencyKeyOf(loop.id, 'SKU-001'));
    expect(toBig!.body['action']).toEqual({
      type: 'purchase-proposal', sku: 'SKU-001', location: LOCATION, supplier: 'Acme Foods', quantity: 120, unitCost: 25, value: 3000, dataDate: DATA_DATE,
    });
    expect(toSmall!.key).toBe(idempotencyKeyOf(loop.id, 'SKU-002'));
    expect(toSmall!.body['action']).toEqual({
      type: 'purchase-proposal', sku: 'SKU-002', location: LOCATION, supplier: 'Beta Supply', quantity: 40, unitCost: 10, value: 400, dataDate: DATA_DATE,
    });
    expect(proposalsFor(s.erp, noLeadTime.id)).toEqual([]);

    // The item without a lead time is in the ledger with its reason, and nothing was acted on.
    const skipped = await ledger(s, `decisionId=${noLeadTime.id}`);
    expect(skipped.map((e) => e.type)).toEqual(['decision']);
    expect(skipped[0]!.body).toMatchObject({ decision: 'not-ordered', action: null, willAct: false, inputs: { reason: 'not ordered: missing lead time' } });
    expect(skipped[0]!.body['explanation']).toMatch(/^Not ordered: missing lead time \(no quantity is guessed\)\. Known: /);

    const measured = await runReaches(s.f, runId, ['completed', 'failed'], 90_000);
    expect(measured.status).toBe('completed');
    expect((await ledger(s, `decisionId=${big.id}`)).map((e) => e.type)).toEqual(['decision', 'approval', 'action', 'outcome']);
    await expectOutcomes(s, runId, big.id, small.id);
    await expectTunedUp(s, loop.id, runId);
    expect((await s.f.api.http().get('/api/v1/ledger/verify').set(s.f.admin)).body.ok).toBe(true);
  });
});

/**
 * The two weeks from the data date, as the store reports them. SKU-001 sells 12/day from 20 on
 * hand; its 120 arrive on day 7. SKU-002 sells 7/day from 12 on hand; PO-100's 20 arrive on day 3
 * and the new 40 on day 7. Both run out for a while.
 */
async function pushWhatHappenedNext(s: ReplenishmentStack, sources: ReplenishmentSources): Promise<void> {
  await pushAll(s, sources.demand, [
    ...demandRows('SKU-001', DATA_DATE, WINDOW_DAYS, () => 12),
    ...demandRows('SKU-002', DATA_DATE, WINDOW_DAYS, () => 7),
  ]);
  await pushAll(s, sources.onHand, [
    // 8, 0, 0, 0, 0, 0, 0, 108, 96, 84, 72, 60, 48, 36
    ...onHandRows('SKU-001', DATA_DATE, closingStock(20, repeat(12), { 7: 120 })),
    // 5, 0, 0, 13, 6, 0, 0, 33, 26, 19, 12, 5, 0, 0
    ...onHandRows('SKU-002', DATA_DATE, closingStock(12, repeat(7), { 3: 20, 7: 40 })),
  ]);
}

/**
 * Filled units per day: the demand when the day closes with stock, else what the previous close
 * had. SKU-001: 12 + 8 + 0×5 + 12×7 = 104 of 168; 6 days out (days 1–6); forecast 10 × 14 = 140.
 * SKU-002: 7 + 5 + 0 + 7 + 7 + 6 + 0 + 7×5 + 5 + 0 = 72 of 98; 6 days out; forecast 5 × 14 = 70.
 */
async function expectOutcomes(s: ReplenishmentStack, runId: string, bigId: string, smallId: string): Promise<void> {
  const run = await getRun(s.f, runId);
  const outcomeOf = (id: string) => run.decisions.find((d) => d.id === id)!;
  expect(outcomeOf(bigId).outcome).toMatchObject({
    daysObserved: 14, complete: true, demandUnits: 168, filledUnits: 104, stockoutDays: 6, endingStock: 36, forecastUnits: 140,
  });
  // Sold 168 against a forecast of 140: actual − forecast = +28, 28 / 168 of what sold.
  expect(outcomeOf(bigId).outcome!['forecastError']).toBeCloseTo(28, 6);
  expect(outcomeOf(bigId).outcome!['absPctError']).toBeCloseTo(28 / 168, 6);
  expect(outcomeOf(bigId).outcome!['fillRate']).toBeCloseTo(104 / 168, 6);
  expect(outcomeOf(bigId).score).toBeCloseTo(104 / 168, 6);
  expect(outcomeOf(smallId).outcome).toMatchObject({
    daysObserved: 14, complete: true, demandUnits: 98, filledUnits: 72, stockoutDays: 6, endingStock: 0, forecastUnits: 70,
  });
  expect(outcomeOf(smallId).outcome!['forecastError']).toBeCloseTo(28, 6);
  expect(outcomeOf(smallId).outcome!['absPctError']).toBeCloseTo(28 / 98, 6);
  expect(outcomeOf(smallId).outcome!['fillRate']).toBeCloseTo(72 / 98, 6);

  const entries = await ledger(s, `runId=${runId}&type=outcome`);
  expect(entries.map((e) => e.decisionId).sort()).toEqual([bigId, smallId].sort());
  const scoreOf = (id: string) => entries.find((e) => e.decisionId === id)!.body['score'] as number;
  expect(scoreOf(bigId)).toBeCloseTo(104 / 168, 6);
  expect(scoreOf(smallId)).toBeCloseTo(72 / 98, 6);
}

/** Unit-weighted fill over the window of 2: (104 + 72) / (168 + 98) = 66.17%, well under 95% − 1: one step up. */
async function expectTunedUp(s: ReplenishmentStack, loopId: string, runId: string): Promise<void> {
  const loop = (await s.f.api.http().get(`/api/v1/loops/${loopId}`).set(s.f.admin)).body;
  expect(loop).toMatchObject({ paramsVersion: 2, params: { serviceLevelFactor: 1.1 } });
  const [tune] = await ledger(s, `runId=${runId}&type=tune`);
  expect(tune!.body).toMatchObject({ changes: { serviceLevelFactor: { from: 1, to: 1.1 } }, fromParamsVersion: 1, toParamsVersion: 2 });
  expect(tune!.body.reason).toMatch(/fill rate 66\.17% .*below the target 95%/);
}
