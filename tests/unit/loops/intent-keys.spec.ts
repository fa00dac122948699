// What each kind's action means: the intent key a decision gets, from the kinds' real drafts.
import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { timeWindow } from '@opsloop/domain';
import { decisionIntentKey, DecisionDraft, LoopKindHandler, RunContext } from '@opsloop/loops';
import type { OutboundHttp } from '@opsloop/connectors';
import type { CollectedReadings } from '@opsloop/loops';
import { NoopKind, NoopParams } from '../../../libs/loops/src/kinds/noop/noop.kind';
import { ReplenishmentKind } from '../../../libs/loops/src/kinds/replenishment/replenishment.kind';
import type { ReplenishmentData } from '../../../libs/loops/src/kinds/replenishment/replenishment-data';
import type { OutcomeReader } from '../../../libs/loops/src/kinds/replenishment/outcome-reader';
import { ForecastPool } from '../../../libs/loops/src/kinds/replenishment/forecast-pool';
import { ReplenishmentLoopParams } from '../../../libs/loops/src/kinds/replenishment/replenishment.params';
import { ThresholdAlertKind } from '../../../libs/loops/src/kinds/threshold-alert/threshold-alert.kind';
import { ThresholdAlertParams } from '../../../libs/loops/src/kinds/threshold-alert/threshold-alert.params';

const LOOP = '11111111-1111-4111-8111-111111111111';
function ctx<P>(kind: string, params: P, over: Partial<RunContext<P>> = {}): RunContext<P> {
  return {
    runId: 'run-1', loopId: LOOP, kind, mode: 'live', policyVersion: `${kind}@1`, params, trigger: 'manual', event: null,
    startedAt: '2025-05-01T02:00:00Z', approval: { when: 'never' }, ...over,
  };
}
const key = <P extends object>(kind: LoopKindHandler<P>, c: RunContext<P>, d: DecisionDraft, i = 0) => decisionIntentKey(kind, c, d, i);

describe('replenishment intents: loop, sku, location and data date', () => {
  const kind = new ReplenishmentKind({} as ReplenishmentData, {} as OutcomeReader, new ForecastPool(1));
  const params = plainToInstance(ReplenishmentLoopParams, { targetServiceLevel: 0.95, reviewPeriodDays: 7, sources: {} });
  const order = (sku: string, location: string, dataDate: string, quantity = 10): DecisionDraft => ({
    subject: `${sku}@${location}`, decision: 'order', magnitude: quantity * 2, explanation: '', inputs: {},
    action: { type: 'purchase-proposal', sku, location, supplier: null, quantity, unitCost: 2, value: quantity * 2, dataDate },
  });
  const text = fc.string({ minLength: 1, maxLength: 10 });
  const date = fc.integer({ min: 0, max: 20_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

  it('reads as the loop and the order: loop:order:sku:location:data date', () => {
    expect(key(kind, ctx('replenishment', params), order('SKU-001', 'store-1', '2025-05-01'))).toBe(`${LOOP}:order:SKU-001:store-1:2025-05-01`);
  });

  it('gives a manual run, the nightly run and a re-run the same key for the same item and data date, whatever quantity they chose', () => {
    fc.assert(fc.property(text, text, date, fc.uuid(), fc.uuid(), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }),
      (sku, location, dataDate, runA, runB, qtyA, qtyB) => {
        const a = key(kind, ctx('replenishment', params, { runId: runA, trigger: 'manual', startedAt: '2025-05-01T09:13:00Z' }), order(sku, location, dataDate, qtyA), 0);
        const b = key(kind, ctx('replenishment', params, { runId: runB, trigger: 'schedule', startedAt: '2025-05-01T02:00:00Z' }), order(sku, location, dataDate, qtyB), 7);
        expect(a).toBe(b);
      }));
  });

  it('gives a different key when the sku, the location, the data date or the loop differs', () => {
    fc.assert(fc.property(fc.tuple(text, text, date), fc.tuple(text, text, date), fc.boolean(), ([s1, l1, d1], [s2, l2, d2], otherLoop) => {
      const a = key(kind, ctx('replenishment', params), order(s1, l1, d1));
      const b = key(kind, ctx('replenishment', params, otherLoop ? { loopId: 'another-loop' } : {}), order(s2, l2, d2));
      expect(a === b).toBe(!otherLoop && s1 === s2 && l1 === l2 && d1 === d2);
    }));
  });

  it('gives a decision without an action no intent', () => {
    expect(key(kind, ctx('replenishment', params), { ...order('A', 'B', '2025-05-01'), action: null })).toBeNull();
  });
});

describe('threshold-alert intents: loop, series and time window', () => {
  const kind = new ThresholdAlertKind({} as OutboundHttp, {} as CollectedReadings);
  const params = (extra: object = {}) => plainToInstance(ThresholdAlertParams, { bound: 90, ...extra });
  const alertsOf = (c: RunContext<ThresholdAlertParams>, collected: Record<string, unknown>) =>
    kind.decide(c, collected).filter((d) => d.action !== null).map((d) => key(kind, c, d));

  it('gives two events in the same hour one key per series, and the next hour a new one', () => {
    const at = (startedAt: string) => ctx('threshold-alert', params(), { startedAt, runId: startedAt });
    const event = { source: 'event', readings: [{ series: 'cpu', value: 97 }, { series: 'mem', value: 99 }] };
    const first = alertsOf(at('2025-05-01T10:05:00Z'), event);
    expect(first).toEqual([`${LOOP}:alert:cpu:2025-05-01T10%3A00%3A00Z%2F2025-05-01T11%3A00%3A00Z`, expect.stringContaining(':alert:mem:')]);
    expect(alertsOf(at('2025-05-01T10:55:00Z'), event)).toEqual(first);
    expect(alertsOf(at('2025-05-01T11:00:00Z'), event)).not.toContain(first[0]);
  });

  it('takes the window from the reading\'s own time when it has one, not from when the run started', () => {
    const reading = { source: 'source', sourceId: 's', readings: [{ series: 'cpu', value: 97, ts: '2025-05-01T08:30:00Z' }] };
    const early = alertsOf(ctx('threshold-alert', params(), { startedAt: '2025-05-01T09:01:00Z' }), reading);
    const late = alertsOf(ctx('threshold-alert', params(), { startedAt: '2025-05-01T12:00:00Z' }), reading);
    expect(early).toEqual(late);
    expect(early[0]).toContain(encodeURIComponent(timeWindow('2025-05-01T08:30:00Z', 3600)));
  });

  it('uses the judged metric bucket as the reading time', () => {
    const metric = {
      source: 'metric', problem: null, readings: [{ series: 'sales', value: 120 }],
      metric: { key: 'sales', version: 1, grain: 'day', dims: {}, buckets: [{ bucket: '2025-04-29T00:00:00.000Z', value: 1 }, { bucket: '2025-04-30T00:00:00.000Z', value: 120 }], incomplete: null },
    };
    const [k] = alertsOf(ctx('threshold-alert', params({ alertWindowSeconds: 86_400 }), { startedAt: '2025-05-01T05:00:00Z' }), metric);
    expect(k).toContain(encodeURIComponent('2025-04-30T00:00:00Z/2025-05-01T00:00:00Z'));
  });

  it('follows params.alertWindowSeconds: same series, same window → same key; another series or window → another key', () => {
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((t) => new Date(t).toISOString());
    fc.assert(fc.property(instant, instant, fc.constantFrom('cpu', 'disk'), fc.constantFrom('cpu', 'disk'), fc.integer({ min: 1, max: 86_400 }),
      (t1, t2, s1, s2, seconds) => {
        const c1 = ctx('threshold-alert', params({ alertWindowSeconds: seconds }), { startedAt: t1 });
        const c2 = ctx('threshold-alert', params({ alertWindowSeconds: seconds }), { startedAt: t2 });
        const [a] = alertsOf(c1, { source: 'event', readings: [{ series: s1, value: 95 }] });
        const [b] = alertsOf(c2, { source: 'event', readings: [{ series: s2, value: 99 }] });
        expect(a === b).toBe(s1 === s2 && timeWindow(t1, seconds) === timeWindow(t2, seconds));
      }));
  });
});

describe('intents of kinds that mean nothing beyond their run', () => {
  it('gives each noop run its own intents', () => {
    const kind = new NoopKind();
    const p = plainToInstance(NoopParams, { decisions: 2 });
    const keysOf = (runId: string) => kind.decide(ctx('noop', p, { runId })).map((d, i) => key(kind, ctx('noop', p, { runId }), d, i));
    expect(keysOf('r1')).toEqual([`${LOOP}:noop:r1:noop-1`, `${LOOP}:noop:r1:noop-2`]);
    expect(keysOf('r2')).not.toEqual(expect.arrayContaining(keysOf('r1')));
  });

  it('gives a kind without intentOf one intent per decision: its run and its place in the run', () => {
    const bare = { ...new NoopKind(), intentOf: undefined } as unknown as LoopKindHandler<NoopParams>;
    const d: DecisionDraft = { subject: 's', decision: 'x', magnitude: 0, explanation: '', inputs: {}, action: {} };
    expect(key(bare, ctx('noop', new NoopParams(), { runId: 'r9' }), d, 2)).toBe(`${LOOP}:decision:r9:3`);
  });
});
