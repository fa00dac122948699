/**
 * Bad store data never drives an order: negative demand and negative on-hand rows are refused by
 * the sources' data gate (quarantined, with the row and reason), and the run decides on the good
 * data only. Each bad row is placed where it would visibly move the order if it got through.
 */
import { runNow, runReaches } from '../../support/engine-fixture';
import {
  addDays, createReplenishmentLoop, createSources, DATA_DATE, LOCATION, proposalsFor, push, ReplenishmentStack, seedItems,
  startReplenishmentStack,
} from '../../support/replenishment-fixture';

describe('replenishment loop behind the data gate', () => {
  let s: ReplenishmentStack;
  beforeAll(async () => (s = await startReplenishmentStack()));
  afterAll(() => s.close());

  /** What a data steward sees in the source's quarantine: field, reason and the value sent. */
  const quarantined = async (sourceId: string) => {
    const res = await s.f.api.http().get(`/api/v1/sources/${sourceId}/quarantine`).set(s.f.admin);
    return (res.body.rows as { field: string; reason: string; raw: Record<string, unknown> }[]).map((r) => [r.field, r.reason, r.raw]);
  };

  it('quarantines negative demand and on-hand rows and decides on the good rows alone', async () => {
    // The on-hand source refuses a batch with any bad row (422); demand keeps the good rows (partial).
    const sources = await createSources(s, { onHand: { partialBatches: false } });
    // S = 10 × 14 = 140 against 20 on hand: 120 × 5 = 600.
    await seedItems(s, sources, [{ sku: 'SKU-001', dailyDemand: 10, onHand: 20, master: { leadTimeDays: 7, unitCost: 5, supplier: 'Acme Foods' } }]);

    const lastDay = addDays(DATA_DATE, -1);
    // A late extra sale of 0 on the last history day is fine; a "sale" of −40 the day after is not,
    // and would move the data date to 2025-05-02 and cut the history's demand if it got through.
    const demand = await push(s, sources.demand, [
      { sku: 'SKU-001', location: LOCATION, ts: `${lastDay}T18:00:00Z`, qty: 0 },
      { sku: 'SKU-001', location: LOCATION, ts: `${DATA_DATE}T09:00:00Z`, qty: -40 },
    ]);
    expect(demand.status).toBe(201);
    expect(demand.report).toMatchObject({ status: 'partial', rowsWritten: 1, rowsQuarantined: 1, problems: [{ row: 2, field: 'qty', reason: '-40 is below the minimum 0' }] });

    // A count of 500 in the same batch as a −5 count: the whole batch is refused, so the 500
    // (which would cancel the order) never lands either.
    const onHand = await push(s, sources.onHand, [
      { sku: 'SKU-001', location: LOCATION, ts: `${lastDay}T23:30:00Z`, onHand: 500 },
      { sku: 'SKU-001', location: LOCATION, ts: `${lastDay}T23:45:00Z`, onHand: -5 },
    ]);
    expect(onHand.status).toBe(422);
    expect(onHand.report).toMatchObject({ status: 'rejected', rowsWritten: 0, rowsQuarantined: 1, problems: [{ row: 2, field: 'onHand', reason: '-5 is below the minimum 0' }] });
    expect(await quarantined(sources.demand)).toEqual([['qty', '-40 is below the minimum 0', expect.objectContaining({ qty: -40 })]]);
    expect(await quarantined(sources.onHand)).toEqual([['onHand', '-5 is below the minimum 0', expect.objectContaining({ onHand: -5 })]]);

    const loop = await createReplenishmentLoop(s, sources);
    const runId = await runNow(s.f, loop.id);
    const run = await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);
    expect(run.decisions).toHaveLength(1);
    const [order] = run.decisions;
    expect(order).toMatchObject({ subject: 'SKU-001@store-1', decision: 'order', actionStatus: 'succeeded' });
    expect(proposalsFor(s.erp, order!.id).map((p) => p.body['action'])).toEqual([
      { type: 'purchase-proposal', sku: 'SKU-001', location: LOCATION, supplier: 'Acme Foods', quantity: 120, unitCost: 5, value: 600, dataDate: DATA_DATE },
    ]);
  });
});
