// How runs ride out outages: catch-up windows, the wording of abandoned attempts, which attempts
// are left open, and what a run row says once its workflow has closed.
import {
  abandonReason, DEFAULT_CATCHUP_WINDOW_SECONDS, openStages, retryNote, scheduleCatchupSeconds, shortestCronGapSeconds, sweptRunVerdict, unclosedAttempts,
} from '@opsloop/domain';

const NOW = new Date('2027-03-01T10:00:00Z');
const step = (stage: string, status: string, attempt: number) => ({ stage, status: status as 'started', attempt });

describe('schedule catch-up window', () => {
  it('keeps a nightly fire missed during a 2-hour outage by default (six hours)', () => {
    expect(scheduleCatchupSeconds({ type: 'cron', cron: '0 2 * * *' }, NOW)).toBe(DEFAULT_CATCHUP_WINDOW_SECONDS);
    expect(DEFAULT_CATCHUP_WINDOW_SECONDS).toBeGreaterThan(2 * 3600);
  });

  it("uses the loop's own window when it is shorter than the gap between fires", () => {
    expect(scheduleCatchupSeconds({ type: 'cron', cron: '0 2 * * *', catchupWindowSeconds: 600 }, NOW)).toBe(600);
    expect(scheduleCatchupSeconds({ type: 'interval', everySeconds: 86_400, catchupWindowSeconds: 7200 }, NOW)).toBe(7200);
  });

  it('stays below the gap between two fires, so an outage is made up by one run and not a burst', () => {
    expect(scheduleCatchupSeconds({ type: 'interval', everySeconds: 300 }, NOW)).toBe(299);
    expect(scheduleCatchupSeconds({ type: 'cron', cron: '*/15 * * * *' }, NOW)).toBe(899);
    // Weekdays at 9 and 17: the shortest gap is the 8 hours within a day, longer than six hours.
    expect(scheduleCatchupSeconds({ type: 'cron', cron: '0 9,17 * * 1-5' }, NOW)).toBe(6 * 3600);
    expect(scheduleCatchupSeconds({ type: 'cron', cron: '0 9,12 * * *', catchupWindowSeconds: 86_400 }, NOW)).toBe(3 * 3600 - 1);
  });

  it("never goes below Temporal's 10-second floor, and has none for event loops", () => {
    expect(scheduleCatchupSeconds({ type: 'interval', everySeconds: 5 }, NOW)).toBe(10);
    expect(scheduleCatchupSeconds({ type: 'event' }, NOW)).toBeNull();
  });

  it('finds the shortest gap between cron fires, leap days included, and none when it looks at one fire only', () => {
    expect(shortestCronGapSeconds('30 4 * * *', NOW)).toBe(86_400);
    expect(shortestCronGapSeconds('0 0 29 2 *', NOW, 2)).toBe(1461 * 86_400);
    expect(shortestCronGapSeconds('30 4 * * *', NOW, 1)).toBeNull();
  });
});

describe('abandoned attempts', () => {
  it('names a lost worker, a timeout and an unreachable Postgres in plain words', () => {
    expect(abandonReason({ message: 'activity Heartbeat timeout', timeout: 'heartbeat' })).toMatch(/^worker lost: no heartbeat for 20 s/);
    expect(abandonReason({ message: 'activity StartToClose timeout', timeout: 'start-to-close' })).toMatch(/start-to-close timeout/);
    expect(abandonReason({ message: 'connect ECONNREFUSED 127.0.0.1:5432', type: 'DatabaseUnavailable' }))
      .toBe("opsloop's Postgres was unreachable: connect ECONNREFUSED 127.0.0.1:5432");
    expect(abandonReason({ message: "opsloop's Postgres is unreachable: Connection terminated unexpectedly", type: 'DatabaseUnavailable' }))
      .toBe("opsloop's Postgres was unreachable: Connection terminated unexpectedly");
    expect(abandonReason({ message: 'socket hang up' })).toBe('last error: socket hang up');
    expect(abandonReason(null)).toBe('Temporal kept no reason');
  });

  it('finds the attempt a killed worker left at started', () => {
    expect(unclosedAttempts([step('collect', 'started', 1)], 'collect', 2)).toEqual({ from: 1, to: 1, started: [1] });
  });

  it('counts attempts that could not write any row (Postgres down) with the one that started', () => {
    const steps = [step('collect', 'started', 1), step('collect', 'completed', 1), step('evaluate', 'started', 1)];
    expect(unclosedAttempts(steps, 'evaluate', 7)).toEqual({ from: 1, to: 6, started: [1] });
  });

  it('leaves attempts alone that already ended, or were closed by an earlier abandoned row', () => {
    expect(unclosedAttempts([step('collect', 'started', 1), step('collect', 'failed', 1)], 'collect', 2)).toBeNull();
    const closed = [step('collect', 'started', 1), step('collect', 'abandoned', 3), step('collect', 'started', 4), step('collect', 'failed', 4)];
    expect(unclosedAttempts(closed, 'collect', 5)).toBeNull();
    expect(unclosedAttempts([step('collect', 'abandoned', 3), step('collect', 'started', 4)], 'collect', 6)).toEqual({ from: 4, to: 5, started: [4] });
    expect(unclosedAttempts([], 'collect', 1)).toBeNull();
  });

  it('lists the stages a stopped run left open at their newest attempt', () => {
    const steps = [
      step('collect', 'started', 1), step('collect', 'completed', 1),
      step('evaluate', 'started', 1), step('evaluate', 'abandoned', 1), step('evaluate', 'started', 2),
      step('act', 'completed', 1),
    ];
    expect(openStages(steps)).toEqual([{ stage: 'evaluate', attempt: 2 }]);
    expect(openStages([step('collect', 'started', 1), step('collect', 'failed', 1)])).toEqual([]);
  });
});

describe('a run whose workflow closed', () => {
  it('takes the status the workflow returned when it completed', () => {
    expect(sweptRunVerdict({ status: 'completed', result: { status: 'measuring' } })).toEqual({ status: 'measuring', error: null });
    expect(sweptRunVerdict({ status: 'completed', result: { status: 'completed' } })).toEqual({ status: 'completed', error: null });
    expect(sweptRunVerdict({ status: 'completed', result: { status: 'blocked' } })).toEqual({ status: 'failed', error: 'blocked by the quality gate' });
  });

  it('fails the run with the reason when its workflow failed, was terminated, timed out, was cancelled or is gone', () => {
    expect(sweptRunVerdict({ status: 'failed', message: 'connect ECONNREFUSED' })).toEqual({ status: 'failed', error: "the run's workflow failed: connect ECONNREFUSED" });
    expect(sweptRunVerdict({ status: 'terminated', reason: 'stuck, ops ticket 42' }))
      .toEqual({ status: 'failed', error: "the run's workflow was terminated: stuck, ops ticket 42" });
    expect(sweptRunVerdict({ status: 'terminated', reason: null })).toEqual({ status: 'failed', error: "the run's workflow was terminated" });
    expect(sweptRunVerdict({ status: 'timed-out' })?.error).toMatch(/timed out/);
    expect(sweptRunVerdict({ status: 'cancelled' })?.error).toMatch(/cancelled/);
    expect(sweptRunVerdict({ status: 'not-found' })?.error).toMatch(/gone from Temporal/);
  });
});

describe('retry note', () => {
  it('says a run is waiting for Postgres, with the attempt and the next try', () => {
    const note = retryNote({
      stage: 'evaluate', attempt: 6, reason: "opsloop's Postgres was unreachable: connect ECONNREFUSED", lastError: 'connect ECONNREFUSED',
      lastErrorType: 'DatabaseUnavailable', nextAttemptAt: '2027-03-01T10:00:15.200Z',
    });
    expect(note).toBe("retrying evaluate (attempt 6, next try at 2027-03-01T10:00:15Z): waiting for Postgres; opsloop's Postgres was unreachable: connect ECONNREFUSED");
  });

  it('gives the last error of any other retry', () => {
    expect(retryNote({ stage: 'collect', attempt: 2, reason: 'last error: Probe x answered 503', lastError: 'Probe x answered 503', lastErrorType: null, nextAttemptAt: null }))
      .toBe('retrying collect (attempt 2): last error: Probe x answered 503');
  });
});
