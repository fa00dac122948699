/**
 * A planner trying the loop before trusting it: dry-run mode lists the orders it would place,
 * with quantities and values, and sends nothing to the ERP.
 */
import { getRun, RunDetail, runNow, runReaches } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
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

    // What would have happened, in words that agree with the approval status `not-required`.
    const explanationOf = (subject: string) => run.decisions.find((d) => d.subject === subject)!.explanation;
    expect(explanationOf('SKU-001@store-1')).toMatch(new RegExp('^Order 120 units \\(3000\\.00\\) because 20 on hand cover 2 days against a lead time of 7 days plus a review period of 7 days\\. ' +
      'Would need approval: value 3000\\.00 is above the threshold 2000\\.00; in dry-run mode nobody was asked and nothing was sent\\. Forecast: '));
    expect(explanationOf('SKU-001@store-1')).not.toMatch(/Needs approval/);
    expect(explanationOf('SKU-002@store-1')).toMatch(new RegExp('^Order 30 units \\(60\\.00\\) because 15 on hand cover 3\\.7 days against a lead time of 3 days plus a review period of 7 days\\. ' +
      'In dry-run mode this was recorded only: nothing was sent\\. Forecast: '));

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

  it('says when the run finished acting and when its outcome is due, in the run and in the list', async () => {
    const sources = await createSources(s);
    await seedItems(s, sources, [{ sku: 'SKU-010', dailyDemand: 5, onHand: 1, master: { leadTimeDays: 2, unitCost: 3 } }]);
    const loop = await createReplenishmentLoop(s, sources, { mode: 'dry-run', params: { outcome: { afterSeconds: 7200 } } });
    const runId = await runNow(s.f, loop.id);
    await runReaches(s.f, runId, ['measuring', 'completed', 'failed']);
    // The hand-off stores the due time just after the status turns `measuring`.
    const run = await eventually(async () => {
      const r = await getRun(s.f, runId);
      return r.outcomeDueAt && r.steps.some((st) => st.stage === 'act') ? r : undefined;
    }, 'the stored outcome due time');

    expect(run.status).toBe('measuring');
    const act = run.steps.find((st) => st.stage === 'act')!;
    expect(Math.abs(Date.parse(run.actedAt!) - Date.parse(act.at))).toBeLessThan(5_000);
    const window = Date.parse(run.outcomeDueAt!) - Date.parse(run.actedAt!);
    expect(window).toBeGreaterThanOrEqual(7_200_000 - 5_000);
    expect(window).toBeLessThanOrEqual(7_200_000 + 5_000);
    const second = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
    expect(run.statusNote).toMatch(new RegExp(`^done acting at ${second(run.actedAt!)}; outcome due ${second(run.outcomeDueAt!)} \\(in 11\\d minutes\\)\\. ` +
      "The run's Temporal workflow has ended; the loop's feedback workflow measures the outcome then$"));

    const listed = (await s.f.api.http().get(`/api/v1/runs?loopId=${loop.id}`).set(s.f.admin)).body as RunDetail[];
    expect(listed.map((r) => [r.id, r.status, r.actedAt])).toEqual([[runId, 'measuring', run.actedAt]]);
    expect(Math.abs(Date.parse(listed[0]!.outcomeDueAt!) - Date.parse(run.outcomeDueAt!))).toBeLessThan(5_000);
    expect(listed[0]!.statusNote).toMatch(/^done acting at .*; outcome due .* \(in 11\d minutes\)/);
  });
});
