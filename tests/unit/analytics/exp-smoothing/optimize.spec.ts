import fc from 'fast-check';
import { clampToBox, minimize, nelderMead } from '../../../../libs/analytics/src/forecast/exp-smoothing/optimize';

const unitBox = (dims: number) => ({ lower: new Array<number>(dims).fill(-1), upper: new Array<number>(dims).fill(1) });

describe('Nelder–Mead over a box', () => {
  it('finds the minimum of a simple quadratic inside the box', () => {
    const f = (x: readonly number[]) => (x[0] - 0.3) ** 2 + 2 * (x[1] + 0.4) ** 2 + 1;
    const result = nelderMead(f, [0.9, 0.9], unitBox(2));
    expect(result.x[0]).toBeCloseTo(0.3, 5);
    expect(result.x[1]).toBeCloseTo(-0.4, 5);
    expect(result.value).toBeCloseTo(1, 9);
  });

  it('stops on the bound when the unconstrained minimum lies outside the box', () => {
    const result = nelderMead((x) => (x[0] - 5) ** 2 + x[1] ** 2, [0, 0.5], unitBox(2));
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(0, 4);
  });

  it('never evaluates the objective outside the box', () => {
    const box = unitBox(3);
    const seen: number[][] = [];
    minimize((x) => { seen.push([...x]); return x.reduce((s, v) => s + (v - 3) ** 2, 0); }, [[0, 0, 0]], box);
    for (const x of seen) for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('treats NaN values as worse than any number', () => {
    const f = (x: readonly number[]) => (x[0] < 0 ? NaN : (x[0] - 0.5) ** 2);
    expect(nelderMead(f, [0.1], unitBox(1)).x[0]).toBeCloseTo(0.5, 5);
  });

  it('is deterministic: same input, same answer', () => {
    const f = (x: readonly number[]) => Math.cos(3 * x[0]) + (x[1] - 0.2) ** 2;
    expect(minimize(f, [[0, 0], [0.5, 0.5]], unitBox(2))).toEqual(minimize(f, [[0, 0], [0.5, 0.5]], unitBox(2)));
  });

  it('locates the centre of any positive-definite diagonal quadratic within the box', () => {
    const coord = fc.double({ min: -0.9, max: 0.9, noNaN: true });
    const weight = fc.double({ min: 0.1, max: 10, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, weight), { minLength: 1, maxLength: 4 }), (terms) => {
        const f = (x: readonly number[]) => terms.reduce((s, [c, w], i) => s + w * (x[i] - c) ** 2, 0);
        const result = minimize(f, [terms.map(() => 0)], unitBox(terms.length));
        terms.forEach(([c], i) => expect(Math.abs(result.x[i] - c)).toBeLessThan(1e-4));
      }),
      { numRuns: 100 },
    );
  });

  it('clamps each coordinate into its own bounds', () => {
    expect(clampToBox([-3, 0.5, 7], { lower: [0, 0, 0], upper: [1, 1, 1] })).toEqual([0, 0.5, 1]);
  });
});
