/**
 * A planner trying the loop before trusting it: dry-run mode lists the orders it would place,
 * with quantities and values, and sends nothing to the ERP.
 */
import { runNow, runReaches } from '../../support/engine-fixture';
import {
  createReplenishmentLoop, createSources, DATA_DATE, ledger, LOCATION, ReplenishmentStack, seedItems, startReplenishmentStack,
} from '../../support/replenishment-fixture';

describe('replenishment loop in dry-run mode', () => {
  let s: ReplenishmentStack;
  beforeAll(async () => (s = await startReplenishmentStack()));
  afterAll(() => s.close());

  it('lists the orders it would place and sends nothing to the ERP, and the ledger says why', async () => {
    const sources = await createSources(s);
    await seedItems(s, sources, [
      // S = 10 × 14 = 140 against 20 on hand: 120 × 25 = 3000, over the approval threshold (dry-run asks nobody).
      { sku: 'SKU-001', dailyDemand: 10, onHand: 20, master: { leadTimeDays: 7, unitCost: 25, supplier: 'Acme Foods' } },
      // S = 4 × (3 + 7) = 40 against 15 on hand: 25, at least the MOQ of 30 → 30 × 2 = 60.
      { sku: 'SKU-002', dailyDemand: 4, onHand: 15, master: { leadTimeDays: 3, unitCost: 2, moq: 30, supplier: 'Beta Supply' } },
    ]);
    const loop = await createReplenishmentLoop(s, sources, { mode: 'dry-run' });
    const runId = await runNow(s.f, loop.id);
    const run = await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);

    expect(run.decisions.map((d) => [d.subject, d.decision, d.approval.status, d.actionStatus]).sort()).toEqual([
      ['SKU-001@store-1', 'order', 'not-required', 'skipped'],
      ['SKU-002@store-1', 'order', 'not-required', 'skipped'],
    ]);
    expect(s.erp.deliveries).toEqual([]);

    const recorded = await ledger(s, `runId=${runId}&type=decision`);
    expect(recorded.map((e) => e.body['action']).sort((a, b) => String((a as { sku: string }).sku).localeCompare((b as { sku: string }).sku))).toEqual([
      { type: 'purchase-proposal', sku: 'SKU-001', location: LOCATION, supplier: 'Acme Foods', quantity: 120, unitCost: 25, value: 3000, dataDate: DATA_DATE },
      { type: 'purchase-proposal', sku: 'SKU-002', location: LOCATION, supplier: 'Beta Supply', quantity: 30, unitCost: 2, value: 60, dataDate: DATA_DATE },
    ]);
    for (const entry of recorded) expect(entry.body).toMatchObject({ mode: 'dry-run', willAct: false, noActionBecause: 'dry-run mode: recorded, not acted on' });
    const actions = await ledger(s, `runId=${runId}&type=action`);
    expect(actions).toHaveLength(2);
    for (const entry of actions) expect(entry.body).toMatchObject({ status: 'skipped', mode: 'dry-run', reason: 'dry-run mode: decision recorded, no action taken' });
  });
});
