import fc from 'fast-check';
import { FillOutcome, proposeServiceLevelFactor, ServiceLevelTuning } from '@opsloop/policies';

const tuning: ServiceLevelTuning = { minFactor: 0.5, maxFactor: 2, step: 0.1, window: 4, tolerance: 0.01 };
const weeks = (...rates: number[]): FillOutcome[] => rates.map((r) => ({ demandUnits: 100, filledUnits: 100 * r }));

describe('service-level factor tuning', () => {
  it('raises the factor one step when the fill rate over the window is below target, and says why', () => {
    const p = proposeServiceLevelFactor(1, 0.95, weeks(0.9, 0.92, 0.91, 0.9), tuning);
    expect(p).toMatchObject({ from: 1, to: 1.1 });
    expect(p!.achievedFillRate).toBeCloseTo(0.9075, 10);
    expect(p!.reason).toBe('fill rate 90.75% over the last 4 outcomes is below the target 95% ± 1 point: service-level factor 1 → 1.1 (more safety stock; allowed 0.5..2)');
  });

  it('lowers the factor when the window over-serves the target', () => {
    expect(proposeServiceLevelFactor(1, 0.95, weeks(1, 1, 0.99, 1), tuning)).toMatchObject({ from: 1, to: 0.9 });
  });

  it('leaves the factor alone within tolerance, before the window is full, or without demand', () => {
    expect(proposeServiceLevelFactor(1, 0.95, weeks(0.95, 0.94, 0.96, 0.95), tuning)).toBeNull();
    expect(proposeServiceLevelFactor(1, 0.95, weeks(0.5, 0.5, 0.5), tuning)).toBeNull();
    expect(proposeServiceLevelFactor(1, 0.95, [0, 0, 0, 0].map(() => ({ demandUnits: 0, filledUnits: 0 })), tuning)).toBeNull();
  });

  it('weighs outcomes by units: a big short week outweighs three small full ones', () => {
    const outcomes = [{ demandUnits: 1000, filledUnits: 800 }, ...[1, 2, 3].map(() => ({ demandUnits: 10, filledUnits: 10 }))];
    expect(proposeServiceLevelFactor(1, 0.95, outcomes, tuning)?.to).toBe(1.1);
  });

  it('only looks at the trailing window', () => {
    expect(proposeServiceLevelFactor(1, 0.95, [...weeks(0.2, 0.2), ...weeks(0.95, 0.95, 0.95, 0.95)], tuning)).toBeNull();
  });

  it('never leaves its bounds and always moves toward the target', () => {
    const outcome = fc.record({ demandUnits: fc.integer({ min: 0, max: 1000 }), filledUnits: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 0.5, max: 0.999, noNaN: true }),
      fc.array(outcome, { minLength: 4, maxLength: 10 }), (factor, target, outcomes) => {
        const p = proposeServiceLevelFactor(factor, target, outcomes, tuning);
        if (p === null) return;
        expect(p.to).toBeGreaterThanOrEqual(0.5);
        expect(p.to).toBeLessThanOrEqual(2);
        expect(p.to).not.toBe(factor);
        expect(p.to > factor).toBe(p.achievedFillRate < target);
        expect(Math.abs(p.to - factor)).toBeLessThanOrEqual(0.1 + 1e-6);
      }));
  });

  it('proposes nothing when the factor already sits at the bound it would cross', () => {
    expect(proposeServiceLevelFactor(2, 0.95, weeks(0.5, 0.5, 0.5, 0.5), tuning)).toBeNull();
    expect(proposeServiceLevelFactor(0.5, 0.95, weeks(1, 1, 1, 1), tuning)).toBeNull();
  });
});
