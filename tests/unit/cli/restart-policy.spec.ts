import fc from 'fast-check';
import { afterExit, DEFAULT_RESTART_POLICY, EndedRun, FRESH_RESTART_STATE, RestartState } from '../../../apps/cli/src/start/restart-policy';

/** Feeds runs in order and returns each verdict's delay in seconds, or 'give up'. */
function replay(runs: EndedRun[]): (number | 'give up')[] {
  let state: RestartState = FRESH_RESTART_STATE;
  return runs.map((run) => {
    const verdict = afterExit(state, run);
    state = verdict.state;
    return verdict.restart ? verdict.delayMs / 1000 : 'give up';
  });
}

const minutes = (m: number) => m * 60_000;

describe('when npm start restarts a process that ended', () => {
  it('waits 1 s, then 2, 4, 8 … for a process that keeps dying after it was up a while, never more than 30 s', () => {
    const upFor20s = Array.from({ length: 8 }, () => ({ upMs: 20_000 }));
    expect(replay(upFor20s)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('starts the delays over once a run stayed up a minute', () => {
    expect(replay([{ upMs: 20_000 }, { upMs: 20_000 }, { upMs: 20_000 }, { upMs: minutes(5) }, { upMs: 20_000 }])).toEqual([1, 2, 4, 1, 2]);
  });

  it('gives up on the 5th crash in a row before the process got ready', () => {
    expect(replay(Array.from({ length: 5 }, () => ({ upMs: null })))).toEqual([1, 2, 4, 8, 'give up']);
  });

  it('counts a death within 10 s of readiness as a crash at start, and a longer run breaks the streak', () => {
    expect(replay([{ upMs: null }, { upMs: 3_000 }, { upMs: null }, { upMs: 9_999 }, { upMs: 10_000 }, { upMs: null }, { upMs: null }]))
      .toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(replay([{ upMs: null }, { upMs: 3_000 }, { upMs: null }, { upMs: 9_999 }, { upMs: 5 }])).toEqual([1, 2, 4, 8, 'give up']);
  });

  it('numbers the restarts, and never waits less than 1 s or more than 30 s whatever the history', () => {
    const run = fc.record({ upMs: fc.option(fc.integer({ min: 0, max: minutes(10) }), { nil: null }) });
    fc.assert(fc.property(fc.array(run, { maxLength: 60 }), (runs) => {
      let state: RestartState = FRESH_RESTART_STATE;
      for (const r of runs) {
        const verdict = afterExit(state, r);
        if (!verdict.restart) {
          expect(verdict.startCrashes).toBe(DEFAULT_RESTART_POLICY.maxStartCrashes);
          return;
        }
        expect(verdict.state.restarts).toBe(state.restarts + 1);
        expect(verdict.delayMs).toBeGreaterThanOrEqual(1_000);
        expect(verdict.delayMs).toBeLessThanOrEqual(30_000);
        state = verdict.state;
      }
    }));
  });
});
