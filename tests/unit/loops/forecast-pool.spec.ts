import { forecast } from '@opsloop/analytics';
import { INLINE_LIMIT, runForecasts } from '../../../libs/loops/src/kinds/replenishment/forecast-pool';
import { compactForecast } from '../../../libs/loops/src/kinds/replenishment/compact-forecast';

const series = (seed: number) => Array.from({ length: 120 }, (_, i) => 10 + ((i * seed) % 7) + (i % 7 === 0 ? 5 : 0));

describe('forecast pool', () => {
  it('gives on worker threads exactly what the calling thread computes, in order, errors included', async () => {
    const requests = Array.from({ length: INLINE_LIMIT + 20 }, (_, i) => ({ values: series(i + 1), horizon: 10, method: 'auto' as const, level: 0.95 as const }));
    requests[7] = { ...requests[7]!, values: [] };
    const threaded = await runForecasts(requests, 2);
    expect(threaded).toHaveLength(requests.length);
    expect(threaded[7]).toEqual({ error: expect.any(String) });
    for (const i of [0, 150, requests.length - 1]) expect(threaded[i]).toEqual(compactForecast(forecast(requests[i]!)));
  }, 60_000);
});
