import { plainToInstance } from 'class-transformer';
import { approvalNote } from '@opsloop/domain';
import type { RunContext, ScoredDecision } from '@opsloop/loops';
import { ReplenishmentKind } from '../../../libs/loops/src/kinds/replenishment/replenishment.kind';
import type { CollectedItem, ReplenishmentCollected, ReplenishmentData } from '../../../libs/loops/src/kinds/replenishment/replenishment-data';
import type { OutcomeReader } from '../../../libs/loops/src/kinds/replenishment/outcome-reader';
import { ForecastPool } from '../../../libs/loops/src/kinds/replenishment/forecast-pool';
import { ReplenishmentLoopParams } from '../../../libs/loops/src/kinds/replenishment/replenishment.params';

const SOURCE = '00000000-0000-4000-8000-000000000001';
const params = (extra: object = {}) =>
  plainToInstance(ReplenishmentLoopParams, {
    targetServiceLevel: 0.95, reviewPeriodDays: 7,
    sources: { demand: { sourceId: SOURCE }, onHand: { sourceId: SOURCE }, itemMaster: { sourceId: SOURCE } }, ...extra,
  });
const ctx = (p = params()): RunContext<ReplenishmentLoopParams> => ({
  runId: 'r', loopId: 'l', kind: 'replenishment', mode: 'live', policyVersion: 'replenishment@1', params: p, trigger: 'manual', event: null,
  startedAt: '2026-12-01T02:00:00Z', approval: { when: 'above', threshold: 500, timeoutSeconds: 60, onTimeout: 'reject' },
});
const master = { leadTimeDays: 5, leadTimeSdDays: null, unitCost: 4, moq: 0, packSize: 6, supplier: 'ACME' };
const item = (sku: string, over: Partial<CollectedItem> = {}): CollectedItem => ({
  sku, location: 'store-1', demandKey: `${sku}|store-1`, onHandKey: `${sku}|store-1`, historyStart: '2026-08-23',
  demand: Array.from({ length: 100 }, (_, i) => 10 + (i % 7 === 0 ? 4 : 0)), onHand: 20, onHandAt: '2026-11-30T00:00:00Z', onOrder: 0,
  master: { sku, location: 'store-1', ...master }, ...over,
});
const pulled = { sourceId: SOURCE, gatePolicy: 'block' as const, missing: null, pulled: false, batch: null, sourceQuality: null, sourceError: null };
const collected = (items: CollectedItem[], counts: Partial<ReplenishmentCollected['counts']> = {}): ReplenishmentCollected => ({
  dataDate: '2026-12-01', sources: { demand: pulled, onHand: pulled, itemMaster: pulled }, items,
  counts: { demandSeries: items.length, outOfScope: 0, negativeDemandDays: 0, negativeOnHand: 0, openOrderLines: 0, ...counts },
});

describe('replenishment kind: evaluate, decide and tune on a collected artifact', () => {
  const kind = new ReplenishmentKind({} as ReplenishmentData, {} as OutcomeReader, new ForecastPool(1));
  const asJson = (x: unknown) => x as Record<string, unknown>;

  it('orders below the level, records missing master data, and leaves items above the level out', async () => {
    const c = asJson(collected([
      item('LOW', { onHand: 5 }),
      item('FULL', { onHand: 5000 }),
      item('NOLT', { master: { sku: 'NOLT', location: 'store-1', ...master, leadTimeDays: null } }),
    ]));
    const evaluation = await kind.evaluate(ctx(), c);
    expect(evaluation).toMatchObject({ items: 3, forecasted: 2, forecastFailures: 0 });
    const drafts = await kind.decide(ctx(), c, evaluation);
    expect(drafts.map((d) => [d.subject, d.decision])).toEqual([['LOW@store-1', 'order'], ['NOLT@store-1', 'not-ordered']]);
    const [order, skipped] = drafts;
    expect(order!.action).toMatchObject({ type: 'purchase-proposal', sku: 'LOW', location: 'store-1', supplier: 'ACME', unitCost: 4, dataDate: '2026-12-01' });
    const qty = order!.action!['quantity'] as number;
    expect(qty % 6).toBe(0);
    expect(order!.magnitude).toBeCloseTo(qty * 4);
    expect(order!.inputs).toMatchObject({ demandKey: 'LOW|store-1', dataDate: '2026-12-01', leadTimeDays: 5, reviewPeriodDays: 7 });
    expect(skipped).toMatchObject({ magnitude: 0, action: null, inputs: { reason: 'not ordered: missing lead time' } });
  });

  it('leads with the order and its value, and names its magnitude as money for the approval sentence', async () => {
    const c = asJson(collected([item('BIG', { onHand: 0, demand: Array.from({ length: 100 }, () => 40) })]));
    const [order] = await kind.decide(ctx(), c, await kind.evaluate(ctx(), c));
    expect(order!.magnitude).toBeGreaterThan(500);
    expect(order!.explanation).toMatch(/^Order \d+ units \(\d+\.\d{2}\) because 0 on hand cover 0 days against a lead time of 5 days plus a review period of 7 days/);
    expect(order!.details).toMatch(/^Forecast: /);
    const basis = { rule: ctx().approval, hasAction: true, magnitude: order!.magnitude };
    const value = order!.magnitude.toFixed(2);
    expect(approvalNote({ ...basis, mode: 'live' }, kind.magnitudeWording())).toBe(`Needs approval: value ${value} is above the threshold 500.00.`);
    expect(approvalNote({ ...basis, mode: 'dry-run' }, kind.magnitudeWording()))
      .toBe(`Would need approval: value ${value} is above the threshold 500.00; in dry-run mode nobody was asked and nothing was sent.`);
  });

  it('keeps in each ledger entry only the forecast that decision rested on', async () => {
    const c = asJson(collected([item('A', { onHand: 0 }), item('B', { onHand: 0 })]));
    const evaluation = await kind.evaluate(ctx(), c);
    const [a] = await kind.decide(ctx(), c, evaluation);
    const slice = kind.evaluationFor(evaluation, a!);
    expect(slice).toMatchObject({ dataDate: '2026-12-01', items: 2, forecast: { method: expect.any(String) } });
    expect(JSON.stringify(slice)).not.toContain('"B@store-1"');
  });

  it('raises the service-level factor one step when the trailing fill rate is short, within bounds', () => {
    const p = params({ serviceLevelFactor: 1, tuning: { window: 3, step: 0.2, maxFactor: 1.1 } });
    const scored = (demand: number, filled: number): ScoredDecision => ({ decisionId: 'd', subject: 's', score: filled / demand, createdAt: '', outcome: { demandUnits: demand, filledUnits: filled } });
    const recent = [scored(100, 80), scored(100, 85), scored(50, 45)];
    expect(kind.proposeTuning(p, recent.slice(0, 2))).toBeNull();
    const proposal = kind.proposeTuning(p, recent)!;
    expect(proposal.changes).toEqual({ serviceLevelFactor: { from: 1, to: 1.1 } });
    expect(proposal.reason).toMatch(/fill rate 84% over the last 3 outcomes is below the target 95%/);
    expect(kind.tuneBounds(p)).toEqual({ serviceLevelFactor: { min: 0.5, max: 1.1 } });
    expect(kind.proposeTuning(params({ tuning: { enabled: false, window: 1 } }), recent)).toBeNull();
  });

  it('scores only orders that were placed: a skipped or rejected one is recorded unscored and never read', async () => {
    const c = asJson(collected([item('LOW', { onHand: 5 })]));
    const [draft] = await kind.decide(ctx(), c, await kind.evaluate(ctx(), c));
    const recorded = { ...draft!, id: 'd1', runId: 'r', createdAt: '2026-12-01T02:00:00Z', actionStatus: 'skipped' as const };
    await expect(kind.measureOutcome(ctx(), recorded)).resolves.toEqual({ outcome: { measured: false, reason: 'the order was not placed (action skipped)' }, score: null });
  });

  it('blocks on a missing source, and reports gaps in item data without blocking', () => {
    const gaps = collected([item('X', { onHand: null }), item('Y', { master: null })], { negativeDemandDays: 2 });
    const report = kind.assessQuality(ctx(), asJson(gaps));
    expect(report.blocking).toBe(false);
    expect(report.checks.filter((ch) => !ch.ok).map((ch) => ch.name)).toEqual(['on-hand-known', 'item-master', 'non-negative']);
    const gone = { ...gaps, sources: { ...gaps.sources, onHand: { ...pulled, missing: `source ${SOURCE} does not exist` } } };
    expect(kind.assessQuality(ctx(), asJson(gone))).toMatchObject({ ok: false, blocking: true });
  });

  it('refuses a service-level factor outside its own tuning bounds', () => {
    expect(kind.checkConfig(params({ serviceLevelFactor: 3, tuning: { maxFactor: 2 } }))).toEqual([
      { field: 'params.tuning', messages: ['params.tuning must satisfy minFactor <= serviceLevelFactor <= maxFactor'] },
    ]);
  });
});
