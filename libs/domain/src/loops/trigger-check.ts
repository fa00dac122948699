/**
 * Cron checks the API runs before a Schedule exists. Temporal accepts the classic five fields
 * (minute hour day-of-month month day-of-week) and the @hourly-style shortcuts; anything else is
 * refused here with a field error instead of failing later inside Temporal. So is a cron that
 * parses but never fires (30 February): Temporal would accept it and the loop would never run.
 */
import { CRON_FIELDS, CronField, cronCalendar, cronValue, nextCronFire, TEMPORAL_LAST_CALENDAR_YEAR } from './cron-calendar';

export { CRON_FIELDS, cronCalendar, cronMatchesDay, nextCronFire, TEMPORAL_LAST_CALENDAR_YEAR } from './cron-calendar';
export type { CronCalendar } from './cron-calendar';

export const CRON_SHORTCUTS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

/**
 * Null when valid, otherwise a message naming the offending field. `now` is where the search for
 * a fire time starts; the expression must fire before Temporal's calendar ends (2100).
 */
export function cronProblem(expression: string, now: Date = new Date()): string | null {
  const text = expression.trim().toLowerCase();
  if (text.startsWith('@')) return (CRON_SHORTCUTS as readonly string[]).includes(text) ? null : `unknown shortcut ${text}; use one of ${CRON_SHORTCUTS.join(', ')}`;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = CRON_FIELDS[i]!;
    const problem = fieldProblem(part, field);
    if (problem) return `${field.name} field "${part}": ${problem}`;
  }
  if (nextCronFire(cronCalendar(text), now) === null) return neverFires(parts);
  return null;
}

function neverFires(parts: string[]): string {
  const days = parts[4] === '*' ? `day of month "${parts[2]}" in month "${parts[3]}"` : `day of month "${parts[2]}" in month "${parts[3]}" on day of week "${parts[4]}"`;
  return `never fires: no date before ${TEMPORAL_LAST_CALENDAR_YEAR + 1} has ${days} (a Temporal Schedule fires only when day of month, month and day of week all match)`;
}

function fieldProblem(part: string, field: CronField): string | null {
  for (const item of part.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return 'more than one /';
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" must be a positive whole number`;
    if (range === '*') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values = bounds.map((b) => cronValue(b, field));
    if (values.some((v) => v === null)) return `values must be whole numbers in ${field.min}-${field.max}${'names' in field ? ' or names' : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return `range ${range} runs backwards`;
  }
  return null;
}
