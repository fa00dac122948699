// Numbers in explanations and notes: money to the cent, quantities without float noise, "1 unit" but "2 units".
import fc from 'fast-check';
import { formatCount, formatInstant, formatMoney, formatPercent, formatQuantity, roundTo, tidyNumber } from '@opsloop/domain';

const finite = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
/** Any float-noise artefact prints as a long run of 9s or 0s after the point. */
const NOISE = /\.\d*(9{6,}|0{6,}[1-9])/;

describe('number text', () => {
  it('drops binary floating-point noise from stored figures', () => {
    expect(3 * 34.9).toBe(104.69999999999999);
    expect(tidyNumber(3 * 34.9)).toBe(104.7);
    expect(tidyNumber(0.1 + 0.2)).toBe(0.3);
    expect(tidyNumber(-0)).toBe(0);
    expect(tidyNumber(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('changes a figure by at most a relative 5e-12 when tidying it', () => {
    fc.assert(fc.property(finite, (x) => {
      expect(Math.abs(tidyNumber(x) - x)).toBeLessThanOrEqual(5e-12 * Math.abs(x));
    }));
  });

  it('rounds halves away from zero, even where binary cannot hold the half exactly', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(-0.001, 2)).toBe(0);
    expect(Object.is(roundTo(-0.001, 2), -0)).toBe(false);
  });

  it('prints money with exactly two decimals', () => {
    expect(formatMoney(205.8)).toBe('205.80');
    expect(formatMoney(3 * 34.9)).toBe('104.70');
    expect(formatMoney(3000)).toBe('3000.00');
    expect(formatMoney(-0.004)).toBe('0.00');
    fc.assert(fc.property(finite, (x) => {
      const text = formatMoney(x);
      expect(text).toMatch(/^-?\d+\.\d{2}$/);
      expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(0.005 + 1e-9 * Math.abs(x));
    }));
  });

  it('prints quantities with at most two decimals and no trailing zeros, keeping small values readable', () => {
    expect(formatQuantity(42)).toBe('42');
    expect(formatQuantity(6.8)).toBe('6.8');
    expect(formatQuantity(104.69999999999999)).toBe('104.7');
    expect(formatQuantity(141.38888)).toBe('141.39');
    expect(formatQuantity(0.00042123)).toBe('0.000421');
    expect(formatQuantity(0.5)).toBe('0.5');
    expect(formatQuantity(1.6449, 3)).toBe('1.645');
    expect(formatQuantity(5e-324)).toBe('0');
    expect(formatQuantity(-1e-20)).toBe('0');
  });

  it('never prints float noise for any quantity or amount', () => {
    fc.assert(fc.property(finite, fc.integer({ min: 1, max: 1000 }), (x, k) => {
      for (const v of [x, x * 3, x / 7, k * 0.1, k * 34.9]) {
        expect(formatQuantity(v)).not.toMatch(NOISE);
        expect(formatMoney(v)).not.toMatch(NOISE);
      }
    }));
  });

  it('uses the singular exactly when the printed number is 1', () => {
    expect(formatCount(1, 'unit')).toBe('1 unit');
    expect(formatCount(2, 'unit')).toBe('2 units');
    expect(formatCount(0, 'unit')).toBe('0 units');
    expect(formatCount(0.5, 'day')).toBe('0.5 days');
    expect(formatCount(1.001, 'day')).toBe('1 day');
    expect(formatCount(-1, 'unit')).toBe('-1 unit');
    expect(formatCount(3, 'history point')).toBe('3 history points');
    expect(formatCount(2, 'child', 'children')).toBe('2 children');
    fc.assert(fc.property(finite, (x) => {
      const text = formatCount(x, 'unit');
      const number = text.split(' ')[0]!;
      expect(text.endsWith(number === '1' || number === '-1' ? ' unit' : ' units')).toBe(true);
    }));
  });

  it('prints shares as percentages and instants to the second', () => {
    expect(formatPercent(0.95)).toBe('95%');
    expect(formatPercent(0.9075)).toBe('90.75%');
    expect(formatInstant('2027-01-02T02:00:05.123Z')).toBe('2027-01-02T02:00:05Z');
    expect(formatInstant(new Date(Date.UTC(2027, 0, 2, 2)))).toBe('2027-01-02T02:00:00Z');
  });
});
