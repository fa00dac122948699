/**
 * A planner starts a run by hand, and the nightly Schedule fires on the same data: both runs
 * decide the same orders for the same data date. The ERP must get one purchase proposal per
 * item (one effect per Idempotency-Key and per intent), and the later decisions are recorded as
 * duplicates of the first, with nothing sent for them. A re-run after the ERP was down sends
 * the orders the failed run could not, under the same keys.
 */
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { loopScheduleId } from '@opsloop/domain';
import { getRun, RunDetail, runNow, runReaches } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';
import {
  createReplenishmentLoop, createSources, DATA_DATE, idempotencyKeyOf, ledger, LOCATION, orderIntent, ReplenishmentSources, ReplenishmentStack,
  seedItems, startReplenishmentStack,
} from '../../support/replenishment-fixture';

const SKUS = ['SKU-001', 'SKU-002'];

describe('replenishment: one purchase proposal per item and data date, however many runs decide it', () => {
  let s: ReplenishmentStack;
  let sources: ReplenishmentSources;
  let temporal: Client;

  beforeAll(async () => {
    s = await startReplenishmentStack();
    sources = await createSources(s);
    // Two orders under the approval threshold: 120 × 5 = 600 and 40 × 8 = 320.
    await seedItems(s, sources, [
      { sku: 'SKU-001', dailyDemand: 10, onHand: 20, master: { leadTimeDays: 7, unitCost: 5, supplier: 'Acme Foods' } },
      { sku: 'SKU-002', dailyDemand: 4, onHand: 16, master: { leadTimeDays: 7, unitCost: 8, supplier: 'Beta Supply' } },
    ]);
    temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    await temporal.connection.close();
    await s.close();
  });

  /** A nightly loop; its Schedule is deleted with the loop after each test, so nothing fires later. */
  async function nightlyLoop(over: Record<string, unknown> = {}) {
    const loop = await createReplenishmentLoop(s, sources, { trigger: { type: 'cron', cron: '0 2 * * *' }, ...over });
    loops.push(loop.id);
    return loop;
  }
  const loops: string[] = [];
  afterEach(async () => {
    for (const id of loops.splice(0)) await s.f.api.http().delete(`/api/v1/loops/${id}`).set(s.f.admin);
  });

  /** Fires the loop's Schedule now, as 02:00 would, and waits for that scheduled run to act. */
  async function scheduledRun(loopId: string): Promise<RunDetail> {
    await temporal.schedule.getHandle(loopScheduleId(loopId)).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const id = await eventually(async () => {
      const runs = (await s.f.api.http().get(`/api/v1/runs?loopId=${loopId}`).set(s.f.admin)).body as { id: string; trigger: string }[];
      return runs.find((r) => r.trigger === 'schedule')?.id;
    }, 'the scheduled run');
    return runReaches(s.f, id, ['measuring', 'completed', 'failed']);
  }
  const acted = async (runId: string) => runReaches(s.f, runId, ['measuring', 'completed', 'failed']);
  const orders = (run: RunDetail) => Object.fromEntries(run.decisions.map((d) => [d.subject.split('@')[0]!, d]));
  const forLoop = (loopId: string) => s.erp.deliveries.filter((d) => d.body['loopId'] === loopId);

  /** Per item: one request and one effect under the intent's key, and one effect per intent. */
  function expectOneProposalEach(loopId: string): void {
    expect(forLoop(loopId)).toHaveLength(SKUS.length);
    for (const sku of SKUS) {
      const key = idempotencyKeyOf(loopId, sku);
      expect(forLoop(loopId).filter((d) => d.key === key)).toHaveLength(1);
      expect(s.erp.effects.get(key)).toBe(1);
      expect(s.erp.intents.get(orderIntent(loopId, sku))).toBe(1);
    }
  }

  it('sends a manual run\'s orders once, and records the scheduled run\'s orders for the same data date as duplicates', async () => {
    const loop = await nightlyLoop();
    const manual = await acted(await runNow(s.f, loop.id));
    const nightly = await scheduledRun(loop.id);

    expect(manual.trigger).toBe('manual');
    expect(nightly.trigger).toBe('schedule');
    const [first, second] = [orders(manual), orders(nightly)];
    for (const sku of SKUS) {
      expect(first[sku]).toMatchObject({ decision: 'order', actionStatus: 'succeeded', intentKey: orderIntent(loop.id, sku), duplicateOf: null });
      expect(second[sku]).toMatchObject({ decision: 'order', actionStatus: 'duplicate', intentKey: orderIntent(loop.id, sku), duplicateOf: first[sku]!.id });
      const [entry] = await ledger(s, `decisionId=${second[sku]!.id}&type=action`);
      expect(entry!.body).toMatchObject({ status: 'duplicate', duplicateOf: first[sku]!.id, intentKey: `${loop.id}:order:${sku}:${LOCATION}:${DATA_DATE}` });
    }
    expectOneProposalEach(loop.id);
    // Both runs acted and finished their act step; the duplicates count as skipped, not failed.
    expect(nightly.steps.find((st) => st.stage === 'act')).toMatchObject({ status: 'completed', detail: { succeeded: 0, failed: 0, skipped: 2 } });
  });

  it('gives one proposal per item when the manual run and the scheduled run act at the same time', async () => {
    const loop = await nightlyLoop();
    const [manual, nightly] = await Promise.all([runNow(s.f, loop.id).then(acted), scheduledRun(loop.id)]);

    expectOneProposalEach(loop.id);
    for (const sku of SKUS) {
      const pair = [orders(manual)[sku]!, orders(nightly)[sku]!];
      expect(pair.map((d) => d.actionStatus).sort()).toEqual(['duplicate', 'succeeded']);
      const [sender, dup] = pair[0]!.actionStatus === 'succeeded' ? pair : [pair[1]!, pair[0]!];
      expect(dup!.duplicateOf).toBe(sender!.id);
    }
  });

  it('sends with a re-run the orders of a run that failed to reach the ERP, under the same keys', async () => {
    const loop = await nightlyLoop({ actionTarget: { type: 'webhook', url: s.erp.url, timeoutSeconds: 2, maxAttempts: 1 } });
    s.erp.setDown(true);
    let failedRun: RunDetail;
    try {
      failedRun = await acted(await runNow(s.f, loop.id));
    } finally {
      s.erp.setDown(false);
    }
    expect(failedRun.decisions.map((d) => d.actionStatus)).toEqual(['failed', 'failed']);

    const rerun = await getRun(s.f, (await acted(await runNow(s.f, loop.id))).id);
    expect(rerun.decisions.map((d) => d.actionStatus)).toEqual(['succeeded', 'succeeded']);
    for (const sku of SKUS) {
      const key = idempotencyKeyOf(loop.id, sku);
      // One refused try by the failed run, one accepted by the re-run: the same key both times.
      expect(forLoop(loop.id).filter((d) => d.key === key)).toHaveLength(2);
      expect(s.erp.effects.get(key)).toBe(1);
      expect(s.erp.intents.get(orderIntent(loop.id, sku))).toBe(1);
    }
  });
});
