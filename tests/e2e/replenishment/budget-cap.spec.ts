/**
 * A run never commits more than its budget cap: orders are funded most urgent first, and an item
 * left without money is recorded as not ordered, with that reason, and sent nowhere.
 */
import { runNow, runReaches } from '../../support/engine-fixture';
import {
  createReplenishmentLoop, createSources, ledger, proposalsFor, ReplenishmentStack, seedItems, startReplenishmentStack,
} from '../../support/replenishment-fixture';

const BUDGET_CAP = 1000;

describe('replenishment loop under a budget cap', () => {
  let s: ReplenishmentStack;
  beforeAll(async () => (s = await startReplenishmentStack()));
  afterAll(() => s.close());

  it('keeps the run\'s orders within the cap and records the item left out as "not ordered: budget cap reached"', async () => {
    const sources = await createSources(s);
    // Each sells 10/day, lead time 7 d: S = 140. Unconstrained the three would cost 600 + 500 + 400 = 1500.
    await seedItems(s, sources, [
      // 2 days of cover: the most urgent. 120 × 5 = 600.
      { sku: 'SKU-001', dailyDemand: 10, onHand: 20, master: { leadTimeDays: 7, unitCost: 5, supplier: 'Acme Foods' } },
      // 4 days of cover. One pack of 100 × 5 = 500 does not fit in the 400 left.
      { sku: 'SKU-002', dailyDemand: 10, onHand: 40, master: { leadTimeDays: 7, unitCost: 5, packSize: 100, supplier: 'Acme Foods' } },
      // 6 days of cover. 80 × 5 = 400 still fits.
      { sku: 'SKU-003', dailyDemand: 10, onHand: 60, master: { leadTimeDays: 7, unitCost: 5, supplier: 'Acme Foods' } },
    ]);
    const loop = await createReplenishmentLoop(s, sources, { params: { budgetCap: BUDGET_CAP } });
    const runId = await runNow(s.f, loop.id);
    const run = await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);

    const bySubject = Object.fromEntries(run.decisions.map((d) => [d.subject, d]));
    expect(Object.keys(bySubject).sort()).toEqual(['SKU-001@store-1', 'SKU-002@store-1', 'SKU-003@store-1']);
    const orders = run.decisions.filter((d) => d.decision === 'order');
    expect(orders.map((d) => d.subject).sort()).toEqual(['SKU-001@store-1', 'SKU-003@store-1']);

    // What the ERP received is what the run committed: within the cap.
    const sent = orders.flatMap((d) => proposalsFor(s.erp, d.id).map((p) => p.body['action'] as { value: number; quantity: number }));
    expect(sent.map((a) => a.quantity).sort()).toEqual([120, 80]);
    expect(sent.reduce((sum, a) => sum + a.value, 0)).toBeLessThanOrEqual(BUDGET_CAP);

    const cut = bySubject['SKU-002@store-1']!;
    expect(cut).toMatchObject({ decision: 'not-ordered', actionStatus: 'none' });
    expect(proposalsFor(s.erp, cut.id)).toEqual([]);
    const [entry] = await ledger(s, `decisionId=${cut.id}`);
    expect(entry!.body).toMatchObject({ decision: 'not-ordered', action: null, inputs: { reason: 'not ordered: budget cap reached' } });
  });
});
