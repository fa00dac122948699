import fc from 'fast-check';
import { horizonError, inverseNormal, inverseNormalLoss, normalLoss, normalUpperTail, perStepErrorSd, safetyFactor } from '@opsloop/policies';

describe('normal loss function', () => {
  it('matches tabulated values of the upper tail and of G(z) = E[(Z − z)⁺]', () => {
    const table: Array<[number, number, number]> = [[0, 0.5, 0.3989423], [0.5, 0.3085375, 0.1977966], [1, 0.1586553, 0.0833155],
      [2, 0.0227501, 0.0084907], [-1, 0.8413447, 1.0833155]];
    for (const [z, tail, loss] of table) {
      expect(normalUpperTail(z)).toBeCloseTo(tail, 6);
      expect(normalLoss(z)).toBeCloseTo(loss, 6);
    }
  });

  it('inverts G: the z whose expected shortfall is g', () => {
    for (const z of [0.1, 0.5, 1, 1.645, 2.5]) expect(inverseNormalLoss(normalLoss(z))).toBeCloseTo(z, 6);
  });

  it('needs no safety stock when the allowed shortfall is at least G(0)', () => {
    expect(inverseNormalLoss(0.4)).toBe(0);
    expect(inverseNormalLoss(5)).toBe(0);
  });

  it('never gives a smaller z for a smaller allowed shortfall', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (a, b) => {
      const [small, large] = a <= b ? [a, b] : [b, a];
      expect(inverseNormalLoss(small)).toBeGreaterThanOrEqual(inverseNormalLoss(large));
    }));
  });
});

describe('safety factor for a fill-rate target', () => {
  it('lets 5 % of a review period\'s demand go short: σ·G(z) = 0.05·d·R', () => {
    const { zFillRate, zCycle, z } = safetyFactor(0.95, 20, 100);
    expect(20 * normalLoss(zFillRate)).toBeCloseTo(5, 6);
    expect(zCycle).toBeCloseTo(1.6448536, 6);
    expect(z).toBe(zFillRate);
  });

  it('needs none when the forecast is exact, and caps a slow mover at the cycle-service z', () => {
    expect(safetyFactor(0.95, 0, 50).z).toBe(0);
    expect(safetyFactor(0.99, 10, 0.5)).toMatchObject({ z: inverseNormal(0.99) });
  });
});

describe('forecast error over the horizon', () => {
  const result = (point: number[], sds: number[]) => ({
    method: 'm', point, lower: point, upper: point.map((p, h) => p + 1.959963984540054 * sds[h]!), backtest: { mase: 1, origins: 9 },
  });

  it('reads each step\'s σ back from the 95 % interval that auto sized from its backtest errors', () => {
    expect(perStepErrorSd(result([5, 5, 5], [1, 2, 3]), 0.95).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 2, 3]);
  });

  it('adds the steps up in variance, with a fractional last day weighted', () => {
    expect(horizonError(result([5, 5, 5], [3, 4, 12]), 2, 0.95).sd).toBeCloseTo(5, 9);
    expect(horizonError(result([5, 5, 5], [3, 4, 12]), 2.5, 0.95).sd).toBeCloseTo(Math.sqrt(25 + 36), 9);
    expect(horizonError(result([5, 5, 5], [3, 4, 12]), 3, 0.95).source).toBe('per-step interval widths, 9 backtest origins');
  });
});
