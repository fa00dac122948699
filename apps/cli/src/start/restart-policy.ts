/**
 * When `npm start` restarts a process that ended on its own, and when it gives up. Pure: the
 * supervisor feeds in how each run went and gets back a delay or a reason to stop.
 *
 * Delays double from `firstDelayMs` up to `maxDelayMs`, and start over once a run has stayed up
 * `stableAfterMs`: a crash a day must not wait 30 s because of last week's crashes. A process
 * that dies before it is ready (or soon after) `maxStartCrashes` times in a row will not heal by
 * itself (a bad setting, a port taken): restarting it forever would only hide the reason.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
  /** A run that ends this soon after becoming ready counts as a crash at start. */
  startCrashWindowMs: number;
  maxStartCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  startCrashWindowMs: 10_000,
  maxStartCrashes: 5,
};

export interface RestartState {
  /** Restarts so far, for the console ("restart 3"). */
  restarts: number;
  /** Doublings applied to the next delay. */
  step: number;
  /** Crashes at start in a row. */
  startCrashes: number;
}

export const FRESH_RESTART_STATE: RestartState = { restarts: 0, step: 0, startCrashes: 0 };

/** How the run that just ended went: `upMs` counts from readiness, null when it never got ready. */
export interface EndedRun {
  upMs: number | null;
}

export type RestartVerdict =
  | { restart: true; delayMs: number; state: RestartState }
  | { restart: false; startCrashes: number; state: RestartState };

export function afterExit(state: RestartState, run: EndedRun, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartVerdict {
  const stable = run.upMs !== null && run.upMs >= policy.stableAfterMs;
  const crashedAtStart = run.upMs === null || run.upMs < policy.startCrashWindowMs;
  const startCrashes = crashedAtStart ? state.startCrashes + 1 : 0;
  const step = stable ? 0 : state.step;
  if (startCrashes >= policy.maxStartCrashes) return { restart: false, startCrashes, state: { ...state, step, startCrashes } };
  const delayMs = Math.min(policy.firstDelayMs * 2 ** step, policy.maxDelayMs);
  return { restart: true, delayMs, state: { restarts: state.restarts + 1, step: step + 1, startCrashes } };
}
