// Request validation: every refusal names the exact field, and defaults are filled in.
import { checkForecastBatch, checkForecastRequest, ForecastInputError } from '../../../../libs/analytics/src/forecast/request';

function refusal(run: () => unknown): ForecastInputError {
  try {
    run();
  } catch (err) {
    if (err instanceof ForecastInputError) return err;
    throw err;
  }
  throw new Error('expected a ForecastInputError');
}

describe('checkForecastRequest', () => {
  it('fills in method auto and level 0.95 and leaves the season to detection', () => {
    expect(checkForecastRequest({ values: [1, 2, 3], horizon: 2 })).toEqual({ values: [1, 2, 3], horizon: 2, method: 'auto', level: 0.95 });
  });

  it('keeps a valid method, level and season period', () => {
    const req = checkForecastRequest({ values: [1, 2, 3, 4, 5], horizon: 1, seasonPeriod: 2, method: 'holt-damped', level: 0.8 });
    expect(req).toMatchObject({ seasonPeriod: 2, method: 'holt-damped', level: 0.8 });
  });

  it('accepts seasonPeriod 1 as "no season"', () => {
    expect(checkForecastRequest({ values: [1, 2, 3], horizon: 1, seasonPeriod: 1 }).seasonPeriod).toBe(1);
  });

  it.each([
    [{ values: [1, 'x', 3], horizon: 1 }, 'values[1]', 'must be a finite number'],
    [{ values: [1, 2, null], horizon: 1 }, 'values[2]', 'must be a finite number'],
    [{ values: [1, 2, Infinity], horizon: 1 }, 'values[2]', 'must be a finite number'],
    [{ values: [NaN], horizon: 1 }, 'values[0]', 'must be a finite number'],
    [{ values: [], horizon: 1 }, 'values', 'must not be empty'],
    [{ values: 'abc', horizon: 1 }, 'values', 'must be an array'],
    [{ horizon: 1 }, 'values', 'must be an array'],
    [{ values: [1], horizon: -3 }, 'horizon', 'must be a positive integer'],
    [{ values: [1], horizon: 0 }, 'horizon', 'must be a positive integer'],
    [{ values: [1], horizon: 1.5 }, 'horizon', 'must be a positive integer'],
    [{ values: [1] }, 'horizon', 'must be a positive integer'],
    [{ values: [1, 2, 3], horizon: 1, seasonPeriod: 3 }, 'seasonPeriod', 'must be an integer ≥ 2 and < values.length'],
    [{ values: [1, 2, 3], horizon: 1, seasonPeriod: 0 }, 'seasonPeriod', 'must be an integer ≥ 2 and < values.length'],
    [{ values: [1, 2, 3], horizon: 1, seasonPeriod: 2.5 }, 'seasonPeriod', 'must be an integer ≥ 2 and < values.length'],
    [{ values: [1], horizon: 1, method: 'prophet' }, 'method', 'unknown method "prophet"'],
    [{ values: [1], horizon: 1, level: 0.9 }, 'level', 'must be 0.8 or 0.95'],
    [{ values: [1], horizon: 1, horizn: 3 }, 'horizn', 'is not a forecast request field'],
  ])('refuses %j naming %s', (raw, field, problem) => {
    const err = refusal(() => checkForecastRequest(raw));
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}: ${problem}`);
  });

  it('refuses a non-object request', () => {
    expect(refusal(() => checkForecastRequest(42)).field).toBe('(request)');
    expect(refusal(() => checkForecastRequest([1, 2])).field).toBe('(request)');
  });
});

describe('checkForecastBatch', () => {
  it('names the request index in front of the field', () => {
    const batch = [{ values: [1, 2], horizon: 1 }, { values: [1, 2], horizon: 1 }, { values: [1, 2], horizon: 1 }, { values: [1, 2, 3, 4, 5, 6, 7, Number.NaN], horizon: 1 }];
    const err = refusal(() => checkForecastBatch(batch));
    expect(err.field).toBe('[3].values[7]');
    expect(err.message).toBe('[3].values[7]: must be a finite number');
  });

  it('refuses a batch that is not an array, and accepts an empty one', () => {
    expect(refusal(() => checkForecastBatch({ values: [1] })).field).toBe('(batch)');
    expect(checkForecastBatch([])).toEqual([]);
  });
});
