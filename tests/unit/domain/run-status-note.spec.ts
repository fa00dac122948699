// Where a run stands, in one line, and the act step's status from its action counts.
import { actionCounts, actStepOutcome, roughDuration, RunStatusFacts, runStatusNote } from '@opsloop/domain';

const NOW = new Date('2027-01-01T02:00:00Z');
const run = (over: Partial<RunStatusFacts>): RunStatusFacts => ({
  status: 'running', error: null, startedAt: '2027-01-01T01:59:00.000Z', finishedAt: null, actedAt: null, outcomeDueAt: null, ...over,
});

describe('run status note', () => {
  it('tells when a measuring run acted and when its outcome is due, and why Temporal already says completed', () => {
    const note = runStatusNote(run({ status: 'measuring', actedAt: '2027-01-01T01:59:30.250Z', outcomeDueAt: '2027-01-30T01:59:31.000Z' }), NOW);
    expect(note).toBe('done acting at 2027-01-01T01:59:30Z; outcome due 2027-01-30T01:59:31Z (in 28 days). ' +
      "The run's Temporal workflow has ended; the loop's feedback workflow measures the outcome then");
  });

  it('says an outcome past its due time is waiting for the feedback workflow', () => {
    const note = runStatusNote(run({ status: 'measuring', actedAt: '2026-12-01T00:00:00Z', outcomeDueAt: '2027-01-01T01:00:00Z' }), NOW);
    expect(note).toBe("done acting at 2026-12-01T00:00:00Z; outcome was due 2027-01-01T01:00:00Z: waiting for the loop's feedback workflow to measure it");
  });

  it('says a completed run with a window had its outcome measured, and shows problems and failures', () => {
    expect(runStatusNote(run({ status: 'completed', finishedAt: '2027-01-30T02:00:00Z', outcomeDueAt: '2027-01-30T01:59:31Z' }), NOW))
      .toBe('completed at 2027-01-30T02:00:00Z: outcome measured (due 2027-01-30T01:59:31Z)');
    expect(runStatusNote(run({ status: 'completed', finishedAt: '2027-01-01T02:00:00Z' }), NOW)).toBe('completed at 2027-01-01T02:00:00Z');
    expect(runStatusNote(run({ status: 'completed', finishedAt: '2027-01-01T02:00:00Z', error: 'outcome not measured: boom' }), NOW))
      .toBe('completed at 2027-01-01T02:00:00Z, with a problem: outcome not measured: boom');
    expect(runStatusNote(run({ status: 'failed', finishedAt: '2027-01-01T02:00:00Z', error: 'blocked by the quality gate: stale' }), NOW))
      .toBe('failed at 2027-01-01T02:00:00Z: blocked by the quality gate: stale');
  });

  it('describes the stages before acting', () => {
    expect(runStatusNote(run({}), NOW)).toBe('running since 2027-01-01T01:59:00Z: collecting data and deciding');
    expect(runStatusNote(run({ status: 'awaiting-approval' }), NOW)).toBe('waiting for a person to approve or reject some of its decisions');
    expect(runStatusNote(run({ status: 'acting' }), NOW)).toBe('acting on its decisions');
  });

  it('rounds the time left to a readable unit', () => {
    expect(roughDuration(29 * 86_400_000 - 1)).toBe('28 days');
    expect(roughDuration(5 * 3_600_000)).toBe('5 hours');
    expect(roughDuration(90_000)).toBe('90 seconds');
    expect(roughDuration(180_000)).toBe('3 minutes');
    expect(roughDuration(400)).toBe('1 second');
  });
});

describe('act step status', () => {
  it('is failed when any action failed, saying how many of how many and why', () => {
    const outcome = actStepOutcome('completed', { succeeded: 1, failed: 2, skipped: 0 }, [
      { subject: 'SKU-001@store-1', reason: 'webhook http://erp answered 503' },
      { subject: 'SKU-002@store-1', reason: null },
    ]);
    expect(outcome).toEqual({
      status: 'failed',
      error: '2 of 3 actions failed (1 succeeded): SKU-001@store-1: webhook http://erp answered 503; SKU-002@store-1: no reason recorded',
    });
  });

  it('names the first failures and counts the rest', () => {
    const failures = ['a', 'b', 'c'].map((subject) => ({ subject, reason: 'refused' }));
    expect(actStepOutcome('completed', { succeeded: 0, failed: 10, skipped: 1 }, failures).error)
      .toBe('10 of 11 actions failed (1 skipped): a: refused; b: refused; c: refused; and 7 more');
    expect(actStepOutcome('completed', { succeeded: 0, failed: 1, skipped: 0 }, []).error).toBe('1 of 1 action failed');
  });

  it('keeps the reported status when nothing failed', () => {
    expect(actStepOutcome('completed', { succeeded: 3, failed: 0, skipped: 0 }, [])).toEqual({ status: 'completed' });
    expect(actStepOutcome('skipped', actionCounts({}), [])).toEqual({ status: 'skipped' });
  });

  it('reads the counts the workflow reports, ignoring anything that is not a count', () => {
    expect(actionCounts({ succeeded: 2, failed: '1', skipped: -3 })).toEqual({ succeeded: 2, failed: 0, skipped: 0 });
    expect(actionCounts(undefined)).toEqual({ succeeded: 0, failed: 0, skipped: 0 });
  });
});
