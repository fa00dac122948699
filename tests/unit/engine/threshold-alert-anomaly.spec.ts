// The threshold-alert kind with detector 'anomaly': config checks, metric-center reads and the
// decision inputs, on the real kind with the metric center replaced by an in-memory series.
import { Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { OutboundHttp, OutboundPolicy } from '@opsloop/connectors';
import { CollectedReadings } from '../../../libs/loops/src/collected-readings';
import { bucketEnd } from '../../../libs/loops/src/kinds/threshold-alert/metric-readings';
import { ThresholdAlertKind } from '../../../libs/loops/src/kinds/threshold-alert/threshold-alert.kind';
import { ThresholdAlertParams } from '../../../libs/loops/src/kinds/threshold-alert/threshold-alert.params';
import { Json, RunContext } from '../../../libs/loops/src/loop-kind';
import { LoopKindRegistry } from '../../../libs/loops/src/loop-kind.registry';
import { MetricSeries, MetricSeriesQuery, MetricSeriesRead } from '../../../libs/loops/src/metric-series';

const DAY = [40, 38, 37, 36, 36, 38, 45, 55, 65, 70, 72, 73, 74, 73, 72, 70, 68, 66, 62, 58, 52, 48, 45, 42];
const NOW = '2025-03-05T10:20:00.000Z';

/** Hourly buckets ending with the current (unfinished) hour, half-filled; the hour before it (09:00, normally 70) dropped to `newest`. */
class FakeMetricCenter extends MetricSeries {
  readonly queries: { key: string; query: MetricSeriesQuery }[] = [];
  newest = 20;

  read(key: string, query: MetricSeriesQuery): Promise<MetricSeriesRead> {
    this.queries.push({ key, query });
    const currentHour = Date.parse('2025-03-05T10:00:00.000Z');
    const points = Array.from({ length: query.points }, (_, i) => {
      const hoursBack = query.points - 1 - i;
      const t = currentHour - hoursBack * 3_600_000;
      const hour = new Date(t).getUTCHours();
      const value = hoursBack === 0 ? 12 : hoursBack === 1 ? this.newest : DAY[hour]! + 0.5 * Math.sin(t / 1e6);
      return { bucket: new Date(t).toISOString(), value };
    });
    return Promise.resolve({ key, version: 3, grain: 'hour', points });
  }
}

async function moduleWith(extra: Provider[]): Promise<TestingModule> {
  const readings: CollectedReadings = { latestAfter: () => Promise.resolve(null) };
  return (await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      { provide: OutboundHttp, useValue: new OutboundHttp(new OutboundPolicy([])) },
      { provide: CollectedReadings, useValue: readings },
      LoopKindRegistry,
      ThresholdAlertKind,
      ...extra,
    ],
  }).compile()).init();
}

const fields = (r: { ok: boolean; errors?: { field: string }[] }) => (r.ok ? [] : [...new Set(r.errors!.map((e) => e.field))]);
const METRIC_LOOP = { detector: 'anomaly', anomaly: { history: 72, seasonPeriod: 24 }, metric: { key: 'load', dims: { region: 'eu' } } };

describe('threshold-alert with the anomaly detector', () => {
  let withCenter: TestingModule;
  let withoutCenter: TestingModule;
  const center = new FakeMetricCenter();

  beforeAll(async () => {
    withCenter = await moduleWith([{ provide: MetricSeries, useValue: center }]);
    withoutCenter = await moduleWith([]);
  });
  afterAll(async () => {
    await withCenter.close();
    await withoutCenter.close();
  });

  const registry = () => withCenter.get(LoopKindRegistry);
  const ctx = (params: Json, policyVersion = 'threshold-alert@2', event: Json | null = null): RunContext<ThresholdAlertParams> => ({
    runId: 'r', loopId: 'l', kind: 'threshold-alert', mode: 'live', policyVersion, trigger: 'manual', event, startedAt: NOW, approval: { when: 'never' },
    params: registry().typedParams('threshold-alert', params) as ThresholdAlertParams,
  });

  it('accepts an anomaly loop on a metric without a bound', async () => {
    expect(await registry().checkParams('threshold-alert', METRIC_LOOP, 'threshold-alert@2')).toMatchObject({ ok: true, params: { detector: 'anomaly', metric: { key: 'load' } } });
  });

  it('refuses the anomaly detector on a loop pinned to threshold-alert@1, at config time', async () => {
    const res = await registry().checkParams('threshold-alert', METRIC_LOOP, 'threshold-alert@1');
    expect(res).toEqual({ ok: false, errors: [{ field: 'params.detector', messages: ["params.detector 'anomaly' needs policy version threshold-alert@2 or later; got threshold-alert@1"] }] });
  });

  it('refuses params.metric with a field error where the metric center is not bound', async () => {
    const res = await withoutCenter.get(LoopKindRegistry).checkParams('threshold-alert', METRIC_LOOP, 'threshold-alert@2');
    expect(res).toEqual({ ok: false, errors: [{ field: 'params.metric', messages: ['params.metric needs the metric center, which this deployment does not provide'] }] });
  });

  it.each([
    ['a bound detector without a bound', { direction: 'above' }, ['params.bound']],
    ['an unknown detector', { bound: 1, detector: 'magic' }, ['params.detector']],
    ['a metric loop without a history length', { ...METRIC_LOOP, anomaly: {} }, ['params.anomaly.history']],
    ['a season longer than half the history', { ...METRIC_LOOP, anomaly: { history: 30, seasonPeriod: 24 } }, ['params.anomaly.seasonPeriod']],
    ['bound tuning on the anomaly detector', { ...METRIC_LOOP, tuning: { minBound: 1, maxBound: 2, step: 1, targetPrecision: 0.5, window: 5 } }, ['params.tuning']],
    ['an outcome window on the anomaly detector', { ...METRIC_LOOP, outcomeWindowSeconds: 60 }, ['params.outcomeWindowSeconds']],
    ['anomaly settings without the anomaly detector', { bound: 5, anomaly: { threshold: 4 } }, ['params.anomaly']],
    ['a threshold below 1', { detector: 'anomaly', anomaly: { threshold: 0.5 } }, ['params.anomaly.threshold']],
    ['a dimension value that is not a string', { ...METRIC_LOOP, metric: { key: 'load', dims: { region: 5 } } }, ['params.metric.dims.region']],
  ])('refuses %s, naming the field', async (_name, params, expected) => {
    expect(fields(await registry().checkParams('threshold-alert', params, 'threshold-alert@2'))).toEqual(expected);
  });

  it('accepts event readings with history and refuses a history holding a non-number', async () => {
    const ok = await registry().checkEvent('threshold-alert', { readings: [{ series: 'cpu', value: 1, history: [1, 2, 3] }] });
    expect(ok.ok).toBe(true);
    const bad = await registry().checkEvent('threshold-alert', { readings: [{ series: 'cpu', value: 1, history: [1, 'x'] }] });
    expect(fields(bad)).toEqual(['payload.readings.0.history']);
  });

  it('judges the newest complete metric bucket, skipping the unfinished hour, and records what it read', async () => {
    const kind = withCenter.get(ThresholdAlertKind);
    const c = ctx(METRIC_LOOP);
    const collected = await kind.collect(c);
    expect(center.queries.at(-1)).toEqual({ key: 'load', query: { points: 74, until: NOW, dims: { region: 'eu' } } });
    expect(collected).toMatchObject({ source: 'metric', problem: null, metric: { key: 'load', version: 3, grain: 'hour', incomplete: '2025-03-05T10:00:00.000Z' } });
    const [decision] = kind.decide(c, collected);
    expect(decision).toMatchObject({ subject: 'load{region=eu}', decision: 'notify' });
    const inputs = decision!.inputs as Record<string, unknown> & { values: number[] };
    expect(inputs).toMatchObject({
      detector: 'anomaly', source: 'metric', reading: { series: 'load{region=eu}', value: 20 },
      metric: { key: 'load', version: 3, grain: 'hour', dims: { region: 'eu' }, from: '2025-03-02T09:00:00.000Z', to: '2025-03-05T09:00:00.000Z', incompleteBucketSkipped: '2025-03-05T10:00:00.000Z' },
      seasonPeriod: 24, threshold: 3.5, explanation: `${decision!.explanation} ${decision!.details}`,
    });
    expect(inputs.values).toHaveLength(73);
    expect(inputs.values.at(-1)).toBe(20);
    expect(inputs['z']).toBeLessThan(-3.5);
    expect(inputs['method']).toMatch(/season 24/);
  });

  it('holds nothing back silently: a metric with no value in its newest bucket fails a quality check', async () => {
    const kind = withCenter.get(ThresholdAlertKind);
    center.newest = null as unknown as number;
    try {
      const c = ctx(METRIC_LOOP);
      const collected = await kind.collect(c);
      expect(collected['readings']).toEqual([]);
      const quality = kind.assessQuality(c, collected);
      expect(quality.checks).toContainEqual({ name: 'metric-value', ok: false, message: 'load has no value for the newest complete bucket 2025-03-05T09:00:00.000Z' });
    } finally {
      center.newest = 20;
    }
  });

  it('judges event readings by the history they carry, and flags readings without one', async () => {
    const kind = withCenter.get(ThresholdAlertKind);
    const history = Array.from({ length: 30 }, (_, t) => 50 + Math.sin(t * 12.9898));
    const event = { readings: [{ series: 'a', value: 90, history }, { series: 'b', value: 50 }] };
    const c = ctx({ detector: 'anomaly' }, 'threshold-alert@2', event);
    const collected = await kind.collect(c);
    expect(kind.decide(c, collected).map((d) => [d.subject, d.decision])).toEqual([['a', 'notify'], ['b', 'hold']]);
    expect(kind.assessQuality(c, collected).checks).toContainEqual({ name: 'history-present', ok: false, message: 'no history for: b' });
  });

  it('refuses to run the anomaly detector on a loop pinned to threshold-alert@1', async () => {
    const kind = withCenter.get(ThresholdAlertKind);
    await expect(kind.collect(ctx({ detector: 'anomaly' }, 'threshold-alert@1', { readings: [] }))).rejects.toThrow(
      "params.detector 'anomaly' needs policy version threshold-alert@2 or later; this loop is pinned to threshold-alert@1",
    );
  });

  it('knows when hour, day, week and month buckets close', () => {
    expect(bucketEnd('2025-02-01T00:00:00.000Z', 'month')!.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(bucketEnd('2025-12-01T00:00:00.000Z', 'month')!.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(bucketEnd('2025-03-03T00:00:00.000Z', 'week')!.toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(bucketEnd('2025-03-03T00:00:00.000Z', 'day')!.toISOString()).toBe('2025-03-04T00:00:00.000Z');
    expect(bucketEnd('2025-03-03T05:00:00.000Z', 'hour')!.toISOString()).toBe('2025-03-03T06:00:00.000Z');
    expect(bucketEnd('2025-03-03T05:00:00.000Z', 'fortnight')).toBeNull();
  });
});
