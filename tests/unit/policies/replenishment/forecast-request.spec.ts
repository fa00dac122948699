import { decideReplenishment, forecastRequest } from '@opsloop/policies';
import { flatForecaster, item, params } from './helpers';

describe('replenishment@1: what it asks the forecaster, and items it cannot plan', () => {
  it('asks for lead time + review period whole days of the full history', () => {
    const req = forecastRequest(item({ leadTimeDays: 4.5, demandHistory: [1, 2, 3] }), params({ reviewPeriodDays: 7 }));
    expect(req).toEqual({ values: [1, 2, 3], horizon: 12, method: 'auto', level: 0.95 });
  });

  it('asks nothing for an item it will not plan', () => {
    expect(forecastRequest(item({ leadTimeDays: null }), params())).toBeNull();
    expect(forecastRequest(item({ onHand: null }), params())).toBeNull();
  });

  it('does not order an item whose on-hand stock is unknown, and says so', () => {
    const [d] = decideReplenishment([item({ onHand: null })], params(), flatForecaster(10, 2)).decisions;
    expect(d).toMatchObject({ decision: 'not-ordered', reason: 'not ordered: missing on-hand stock', quantity: 0 });
  });

  it('hands the forecaster the item it forecasts, so results computed elsewhere can be replayed', () => {
    const seen: string[] = [];
    decideReplenishment([item({ sku: 'A' }), item({ sku: 'B', leadTimeDays: null }), item({ sku: 'C' })], params(), (req, it) => {
      seen.push(it!.sku);
      return flatForecaster(10, 2)(req);
    });
    expect(seen).toEqual(['A', 'C']);
  });
});
