import fc from 'fast-check';
import { inventoryPosition, inverseNormal, largestAffordable, roundOrderQuantity, shortfall } from '@opsloop/policies';

const packs = fc.constantFrom(1, 2, 5, 6, 12, 24, 0.25, 0.5);
const isPackMultiple = (q: number, pack: number) => Math.abs(q / pack - Math.round(q / pack)) < 1e-6;

describe('order quantity rounding', () => {
  it('rounds a shortfall up to whole packs, then up to the MOQ in whole packs', () => {
    expect(roundOrderQuantity(13, 12, 0)).toBe(24);
    expect(roundOrderQuantity(24, 12, 0)).toBe(24);
    expect(roundOrderQuantity(5, 6, 20)).toBe(24);
    expect(roundOrderQuantity(0.1, 1, 0)).toBe(1);
    expect(roundOrderQuantity(0.3, 0.1, 0)).toBe(0.3);
  });

  it('orders nothing, not even the MOQ, when nothing is missing', () => {
    expect(roundOrderQuantity(0, 12, 50)).toBe(0);
    expect(roundOrderQuantity(-3, 1, 10)).toBe(0);
  });

  it('always gives a whole number of packs covering both the shortfall and the MOQ, with less than a pack to spare', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 1e5, noNaN: true }), packs, fc.integer({ min: 0, max: 500 }), (needed, pack, moq) => {
      const q = roundOrderQuantity(needed, pack, moq);
      expect(isPackMultiple(q, pack)).toBe(true);
      expect(q).toBeGreaterThanOrEqual(needed - 1e-6);
      expect(q).toBeGreaterThanOrEqual(moq - 1e-6);
      expect(q - Math.max(needed, moq)).toBeLessThan(pack + 1e-6);
    }));
  });

  it('finds the largest affordable pack multiple that still meets the MOQ, or 0', () => {
    expect(largestAffordable(100, 3, 6, 0)).toBe(30);
    expect(largestAffordable(100, 3, 6, 36)).toBe(0);
    expect(largestAffordable(2.99, 3, 1, 0)).toBe(0);
    fc.assert(fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0.01, max: 1000, noNaN: true }), packs,
      fc.integer({ min: 0, max: 100 }), (budget, cost, pack, moq) => {
        const q = largestAffordable(budget, cost, pack, moq);
        expect(q * cost).toBeLessThanOrEqual(budget);
        if (q > 0) {
          expect(q).toBeGreaterThanOrEqual(moq);
          expect(isPackMultiple(q, pack)).toBe(true);
          expect((q + pack) * cost).toBeGreaterThan(budget);
        }
      }));
  });
});

describe('inventory position and shortfall', () => {
  it('counts stock on hand plus on order minus backorders', () => {
    expect(inventoryPosition(40, 25, 5)).toBe(60);
    expect(inventoryPosition(0, 0)).toBe(0);
  });

  it('is missing nothing at or above the order-up-to level, and the difference below it', () => {
    expect(shortfall(100, 100)).toBe(0);
    expect(shortfall(100, 130)).toBe(0);
    expect(shortfall(100, 70)).toBe(30);
  });
});

describe('safety factor z', () => {
  it('matches the standard normal quantiles to 1e-8', () => {
    const known: Array<[number, number]> = [[0.5, 0], [0.8, 0.8416212335729143], [0.9, 1.2815515655446004], [0.95, 1.6448536269514722],
      [0.975, 1.959963984540054], [0.99, 2.3263478740408408], [0.999, 3.090232306167813], [0.01, -2.3263478740408408]];
    for (const [p, z] of known) expect(inverseNormal(p)).toBeCloseTo(z, 8);
  });

  // Levels a hair apart (1e-18) can come out in either order in the last bit of the rational
  // approximation; no service level is ever set that finely.
  it('rises with the service level', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (a, b) => {
      if (b - a > 1e-12) expect(inverseNormal(a)).toBeLessThan(inverseNormal(b));
    }));
  });

  it('refuses levels of 0, 1 or outside', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => inverseNormal(p)).toThrow(/0 < p < 1/);
  });
});
