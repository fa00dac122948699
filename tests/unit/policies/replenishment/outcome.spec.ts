import { measureOrderOutcome } from '@opsloop/policies';

describe('measureOrderOutcome: how an order did over lead time + review period', () => {
  it('counts every unit as served while the shelf closes above zero', () => {
    const o = measureOrderOutcome({ demandByDay: [5, 5, 5, 5], closingByDay: [15, 10, 25, 20], openingStock: 20, forecastUnits: 16, horizonDays: 4 });
    expect(o).toMatchObject({ daysObserved: 4, complete: true, demandUnits: 20, filledUnits: 20, fillRate: 1, stockoutDays: 0, endingStock: 20 });
    expect(o.forecastError).toBeCloseTo(4);
    expect(o.absPctError).toBeCloseTo(0.2);
  });

  it('on a day that closes empty serves at most what the shelf held the evening before', () => {
    const o = measureOrderOutcome({ demandByDay: [6, 6, 6, 6], closingByDay: [4, 0, 0, 10], openingStock: 10, forecastUnits: 24, horizonDays: 4 });
    // 6 + min(6, 4) + min(6, 0) + 6
    expect(o).toMatchObject({ demandUnits: 24, filledUnits: 16, stockoutDays: 2, endingStock: 10 });
    expect(o.fillRate).toBeCloseTo(16 / 24);
  });

  it('measures only the days with a stock snapshot and pro-rates the forecast to them', () => {
    const o = measureOrderOutcome({ demandByDay: [3, 3, 3, 3, 3, 3, 3], closingByDay: [10, 7, null, null], openingStock: 13, forecastUnits: 28, horizonDays: 7 });
    expect(o).toMatchObject({ daysObserved: 2, complete: false, demandUnits: 6, filledUnits: 6, endingStock: 7 });
    expect(o.forecastUnits).toBeCloseTo(8);
  });

  it('gives no fill rate or percentage error when nothing was demanded', () => {
    const o = measureOrderOutcome({ demandByDay: [0, 0], closingByDay: [5, 5], openingStock: 5, forecastUnits: 2, horizonDays: 2 });
    expect(o).toMatchObject({ fillRate: null, absPctError: null, stockoutDays: 0, forecastError: -2 });
  });
});
