// threshold-alert@2's anomaly detector: the newest value of a series judged against its history.
import fc from 'fast-check';
import { detectAnomalies } from '@opsloop/analytics';
import { decideAnomaly, decideAlerts, fillGaps, hasAnomalyDetector, THRESHOLD_ALERT_POLICY_VERSIONS } from '@opsloop/policies';

// Hourly load with a daily cycle, a little noise, four days of history.
const DAY = [40, 38, 37, 36, 36, 38, 45, 55, 65, 70, 72, 73, 74, 73, 72, 70, 68, 66, 62, 58, 52, 48, 45, 42];
const hourly = (hours: number) => Array.from({ length: hours }, (_, t) => DAY[t % 24]! + 0.8 * Math.sin(t * 12.9898));

describe('threshold-alert@2 anomaly rule', () => {
  it('is a new policy version beside an unchanged threshold-alert@1', () => {
    expect(THRESHOLD_ALERT_POLICY_VERSIONS).toEqual(['threshold-alert@1', 'threshold-alert@2']);
    expect(hasAnomalyDetector('threshold-alert@2')).toBe(true);
    expect(hasAnomalyDetector('threshold-alert@1')).toBe(false);
    expect(decideAlerts([{ series: 'cpu', value: 95 }], { bound: 80, direction: 'above' })[0]!.explanation).toBe('Notify: cpu reads 95, above the bound 80 by 15.');
  });

  it('notifies when the newest value spikes far above what the daily cycle expects, with the evidence', () => {
    const history = hourly(96);
    const d = decideAnomaly({ series: 'load.eu', value: DAY[0]! + 30, history }, { seasonPeriod: 24 });
    expect(d.decision).toBe('notify');
    expect(d.evidence.z).toBeGreaterThan(3.5);
    expect(d.magnitude).toBeCloseTo(Math.abs(d.evidence.z!), 9);
    expect(d.evidence.expected).toBeCloseTo(DAY[0]!, 0);
    expect(d.evidence).toMatchObject({ threshold: 3.5, direction: 'both', seasonPeriod: 24, seasonSource: 'given', historyPoints: 96, filledGaps: [] });
    expect(d.evidence.method).toMatch(/season 24/);
    expect(d.action).toMatchObject({ series: 'load.eu', value: DAY[0]! + 30, threshold: 3.5, direction: 'both' });
    expect(d.headline).toMatch(/^Notify: load\.eu reads 70, above its normal range \(expected (39|40)(\.\d{1,2})?\)\.$/);
    expect(d.details).toMatch(/^z = \d+(\.\d+)? against the threshold 3\.5\.$/);
    expect(d.explanation).toBe(`${d.headline} ${d.details}`);
  });

  it('holds a value that fits the cycle, even one far from the series mean', () => {
    const history = hourly(96);
    const d = decideAnomaly({ series: 'load.eu', value: DAY[0]! + 0.5, history }, { seasonPeriod: 24 });
    expect(d).toMatchObject({ decision: 'hold', magnitude: 0, action: null });
    expect(d.headline).toMatch(/^No alert: load\.eu reads 40\.5, within its normal range \(expected [\d.]+\)\.$/);
  });

  it('alerts only on the configured side', () => {
    const history = hourly(96);
    const drop = { series: 'load.eu', value: DAY[0]! - 25, history };
    expect(decideAnomaly(drop, { seasonPeriod: 24, direction: 'above' })).toMatchObject({ decision: 'hold', action: null });
    expect(decideAnomaly(drop, { seasonPeriod: 24, direction: 'above' }).headline).toMatch(/^No alert: load\.eu reads 15, below its normal range \(expected [\d.]+\), but only rises alert\.$/);
    expect(decideAnomaly(drop, { seasonPeriod: 24, direction: 'below' }).decision).toBe('notify');
    expect(decideAnomaly(drop, { seasonPeriod: 24 }).headline).toMatch(/^Notify: load\.eu reads 15, below its normal range/);
  });

  it('holds and says why when the history is too short for the season', () => {
    const d = decideAnomaly({ series: 'load.eu', value: 99, history: hourly(30) }, { seasonPeriod: 24 });
    expect(d).toMatchObject({ decision: 'hold', action: null, evidence: { z: null, method: null, historyPoints: 30 } });
    expect(d.explanation).toBe('No alert: load.eu reads 99 and cannot be judged: needs at least 48 history points, has 30.');
  });

  it('holds and says why when no history came with the reading', () => {
    expect(decideAnomaly({ series: 'cpu', value: 99, history: [] }, {}).explanation).toBe('No alert: cpu reads 99 and cannot be judged: needs at least 7 history points, has 0.');
  });

  it('interpolates a few missing buckets, records which, and refuses a history that is mostly gaps', () => {
    expect(fillGaps([null, 2, null, null, 8, null])).toEqual({ values: [2, 2, 4, 6, 8, 8], filled: [0, 2, 3, 5] });
    const history: (number | null)[] = hourly(96);
    history[10] = null;
    history[50] = null;
    const d = decideAnomaly({ series: 'load.eu', value: DAY[0]! + 30, history }, { seasonPeriod: 24 });
    expect(d).toMatchObject({ decision: 'notify', evidence: { filledGaps: [10, 50] } });
    const sparse = hourly(96).map((v, i) => (i % 3 === 0 ? v : null));
    expect(decideAnomaly({ series: 'load.eu', value: 40, history: sparse }, { seasonPeriod: 24 }).explanation).toBe(
      'No alert: load.eu reads 40 and cannot be judged: 64 of 96 history points have no value, more than 25%.',
    );
  });

  it('notifies exactly when the detector flags the newest point, with magnitude |z| past the threshold', () => {
    const unit = fc.noBias(fc.integer({ min: -1000, max: 1000 })).map((k) => k / 1000);
    fc.assert(fc.property(fc.array(unit, { minLength: 60, maxLength: 60 }), fc.integer({ min: -40, max: 40 }), fc.constantFrom(2.5, 3.5, 5), (noise, jump, threshold) => {
      const history = noise.slice(0, 59).map((e, t) => 100 + 0.2 * t + e);
      const value = 100 + 0.2 * 59 + noise[59]! + jump / 4;
      const d = decideAnomaly({ series: 's', value, history }, { threshold, seasonPeriod: 1 });
      const last = detectAnomalies([...history, value], { threshold, seasonPeriod: 1 }).points[59]!;
      expect(d.decision).toBe(last.anomaly ? 'notify' : 'hold');
      expect(d.evidence.z).toBe(last.z);
      if (d.decision === 'notify') expect(d.magnitude).toBeGreaterThanOrEqual(threshold);
    }), { numRuns: 60, seed: 7 });
  });
});
