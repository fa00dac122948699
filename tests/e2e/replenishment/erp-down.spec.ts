/**
 * The ERP is down or flaky when purchase proposals go out. What the engine's exactly-once spec
 * already proves for any kind is not repeated; this checks what a buyer relies on for orders:
 * an order that never got through is recorded failed (and never measured as if it had been
 * placed), and an order retried after a 503 lands in the ERP once, with the same proposal.
 */
import { runNow, runReaches } from '../../support/engine-fixture';
import {
  createReplenishmentLoop, createSources, failFirst, idempotencyKeyOf, ledger, proposalsFor, ReplenishmentSources, ReplenishmentStack,
  seedItems, startReplenishmentStack,
} from '../../support/replenishment-fixture';

describe('replenishment loop when the ERP webhook is down', () => {
  let s: ReplenishmentStack;
  let sources: ReplenishmentSources;

  beforeAll(async () => {
    s = await startReplenishmentStack();
    sources = await createSources(s);
    // Two small orders, both under the approval threshold: 120 × 5 = 600 and 40 × 8 = 320.
    await seedItems(s, sources, [
      { sku: 'SKU-001', dailyDemand: 10, onHand: 20, master: { leadTimeDays: 7, unitCost: 5, supplier: 'Acme Foods' } },
      { sku: 'SKU-002', dailyDemand: 4, onHand: 16, master: { leadTimeDays: 7, unitCost: 8, supplier: 'Beta Supply' } },
    ]);
  });
  afterAll(() => s.close());

  const orderLoop = () => createReplenishmentLoop(s, sources, {
    actionTarget: { type: 'webhook', url: s.erp.url, timeoutSeconds: 2, maxAttempts: 2 },
    params: { outcome: { afterSeconds: 2 } },
  });

  it('records each proposal failed after its retries, and measures no outcome for an order never placed', async () => {
    s.erp.setDown(true);
    try {
      const loop = await orderLoop();
      const runId = await runNow(s.f, loop.id);
      const run = await runReaches(s.f, runId, ['completed', 'failed']);

      expect(run.status).toBe('completed');
      expect(run.decisions).toHaveLength(2);
      for (const d of run.decisions) {
        expect(d).toMatchObject({ decision: 'order', actionStatus: 'failed', outcome: null, score: null });
        expect(d.actionResult.reason).toMatch(/answered 503/);
        // maxAttempts 2: two tries, the same key (the order's intent) and the same proposal each time.
        const key = idempotencyKeyOf(loop.id, d.subject.split('@')[0]!);
        const tries = proposalsFor(s.erp, d.id);
        expect(tries.map((t) => t.key)).toEqual([key, key]);
        expect(tries[1]!.body['action']).toEqual(tries[0]!.body['action']);
        expect(s.erp.effects.has(key)).toBe(false);
      }
      const actions = await ledger(s, `runId=${runId}&type=action`);
      expect(actions.map((e) => e.body)).toEqual([
        expect.objectContaining({ status: 'failed', attempts: 2, reason: expect.stringMatching(/503/) }),
        expect.objectContaining({ status: 'failed', attempts: 2, reason: expect.stringMatching(/503/) }),
      ]);
      expect(await ledger(s, `runId=${runId}&type=outcome`)).toEqual([]);

      // The act step says the actions failed, how many and why: never "completed".
      const act = run.steps.filter((st) => st.stage === 'act');
      expect(act).toHaveLength(1);
      expect(act[0]).toMatchObject({ status: 'failed', detail: { succeeded: 0, failed: 2, skipped: 0 } });
      expect(act[0]!.error).toMatch(/^2 of 2 actions failed: SKU-001@store-1: .*503.*; SKU-002@store-1: .*503/);
    } finally {
      s.erp.setDown(false);
    }
  });

  it('places each order once when the ERP fails the first request and the retry gets through', async () => {
    const loop = await orderLoop();
    failFirst(s.erp, 1);
    const before = s.erp.deliveries.length;
    const runId = await runNow(s.f, loop.id);
    const run = await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);

    expect(run.decisions.map((d) => d.actionStatus)).toEqual(['succeeded', 'succeeded']);
    expect(run.steps.filter((st) => st.stage === 'act')).toEqual([expect.objectContaining({ status: 'completed', error: null, detail: { succeeded: 2, failed: 0, skipped: 0 } })]);
    // One 503 and then one accepted request per order: three requests, two orders in the ERP.
    expect(s.erp.deliveries.length - before).toBe(3);
    for (const d of run.decisions) {
      expect(s.erp.effects.get(idempotencyKeyOf(loop.id, d.subject.split('@')[0]!))).toBe(1);
      const actions = proposalsFor(s.erp, d.id).map((t) => t.body['action']);
      expect(new Set(actions.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(actions[0]).toMatchObject({ type: 'purchase-proposal', sku: d.subject.split('@')[0] });
    }
    const quantities = Object.fromEntries(run.decisions.map((d) => [d.subject, (proposalsFor(s.erp, d.id)[0]!.body['action'] as { quantity: number }).quantity]));
    expect(quantities).toEqual({ 'SKU-001@store-1': 120, 'SKU-002@store-1': 40 });
  });
});
