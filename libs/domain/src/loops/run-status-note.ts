/**
 * One line that tells a person where a run stands, from its stored row alone (so a list of runs
 * can say it without reading steps). Above all it answers the question a `measuring` run raises:
 * the run is done acting and its Temporal workflow has ended, so when is the outcome due?
 */
import { formatCount, formatInstant } from '../text/number-text';
import type { RunRecord } from './records';

export type RunStatusFacts = Pick<RunRecord, 'status' | 'error' | 'startedAt' | 'finishedAt' | 'actedAt' | 'outcomeDueAt'>;

export function runStatusNote(run: RunStatusFacts, now: Date): string {
  switch (run.status) {
    case 'running':
      return `running since ${formatInstant(run.startedAt)}: collecting data and deciding`;
    case 'awaiting-approval':
      return 'waiting for a person to approve or reject some of its decisions';
    case 'acting':
      return 'acting on its decisions';
    case 'measuring':
      return measuringNote(run, now);
    case 'completed':
      return completedNote(run);
    case 'failed':
      return `failed${at(run.finishedAt)}${run.error ? `: ${run.error}` : ''}`;
  }
}

function measuringNote(run: RunStatusFacts, now: Date): string {
  const acted = `done acting${at(run.actedAt)}`;
  if (!run.outcomeDueAt) return `${acted}; its outcome window is being scheduled`;
  const due = formatInstant(run.outcomeDueAt);
  const leftMs = Date.parse(run.outcomeDueAt) - now.getTime();
  if (leftMs > 0) {
    return `${acted}; outcome due ${due} (in ${roughDuration(leftMs)}). ` +
      `The run's Temporal workflow has ended; the loop's feedback workflow measures the outcome then`;
  }
  return `${acted}; outcome was due ${due}: waiting for the loop's feedback workflow to measure it`;
}

function completedNote(run: RunStatusFacts): string {
  const done = `completed${at(run.finishedAt)}`;
  if (run.error) return `${done}, with a problem: ${run.error}`;
  return run.outcomeDueAt ? `${done}: outcome measured (due ${formatInstant(run.outcomeDueAt)})` : done;
}

function at(iso: string | null): string {
  return iso ? ` at ${formatInstant(iso)}` : '';
}

/** "29 days", "5 hours", "3 minutes", "1 second": the largest unit with at least two of it, then down. */
export function roughDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s >= 2 * 86_400) return formatCount(Math.floor(s / 86_400), 'day');
  if (s >= 2 * 3_600) return formatCount(Math.floor(s / 3_600), 'hour');
  if (s >= 2 * 60) return formatCount(Math.floor(s / 60), 'minute');
  return formatCount(Math.ceil(s), 'second');
}
