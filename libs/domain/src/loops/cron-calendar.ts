/**
 * When a five-field cron fires, read the way Temporal Schedules read it. A Schedule turns the cron
 * string into a calendar spec and fires at a minute only when every field matches: day of month
 * AND day of week (Vixie cron and the legacy workflow CronSchedule fire when either day field
 * matches; Schedules do not). Temporal's calendar ends with the year 2100. Pure: the clock is a
 * parameter, and the input must already have passed `cronProblem`'s syntax checks.
 */
export const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

export type CronField = (typeof CRON_FIELDS)[number];

/** The five-field form of each shortcut, as Temporal expands them. */
export const CRON_SHORTCUT_FIELDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** The last year Temporal's calendar looks at; a Schedule never fires after it. */
export const TEMPORAL_LAST_CALENDAR_YEAR = 2100;

/** A month or weekday name, or a whole number within the field's bounds. */
export function cronValue(token: string, field: CronField): number | null {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(token) : -1;
  if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(token)) return null;
  const n = Number(token);
  return n >= field.min && n <= field.max ? n : null;
}

/** Every value one field matches: `*`, `a`, `a-b`, each optionally `/step` (`a/step` runs to the maximum). */
export function expandCronField(part: string, field: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [range, step] = item.split('/');
    const bounds = range === '*' ? [field.min, field.max] : range!.split('-').map((b) => cronValue(b, field)!);
    const from = bounds[0]!;
    const to = bounds.length === 2 ? bounds[1]! : step !== undefined ? field.max : from;
    for (let v = from; v <= to; v += step === undefined ? 1 : Number(step)) values.add(v);
  }
  // Sunday is both 0 and 7.
  if (field.name === 'day of week' && values.has(7)) values.add(0);
  return values;
}

export interface CronCalendar {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
}

/** The expanded fields of a (syntactically valid) cron expression or shortcut. */
export function cronCalendar(expression: string): CronCalendar {
  const text = expression.trim().toLowerCase();
  const parts = (CRON_SHORTCUT_FIELDS[text] ?? text).split(/\s+/);
  const field = (i: number) => expandCronField(parts[i]!, CRON_FIELDS[i]!);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { minutes: sorted(field(0)), hours: sorted(field(1)), daysOfMonth: field(2), months: field(3), daysOfWeek: field(4) };
}

const DAY_MS = 24 * 3600 * 1000;

/** Whether the calendar fires at some minute of this UTC day. */
export function cronMatchesDay(cal: CronCalendar, day: Date): boolean {
  return cal.months.has(day.getUTCMonth() + 1) && cal.daysOfMonth.has(day.getUTCDate()) && cal.daysOfWeek.has(day.getUTCDay());
}

/** The first fire time strictly after `after` (UTC), or null when none comes before Temporal's calendar ends. */
export function nextCronFire(cal: CronCalendar, after: Date): Date | null {
  const start = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
  const end = Date.UTC(TEMPORAL_LAST_CALENDAR_YEAR + 1, 0, 1);
  for (let dayMs = start; dayMs < end; dayMs += DAY_MS) {
    if (!cronMatchesDay(cal, new Date(dayMs))) continue;
    for (const h of cal.hours) {
      for (const m of cal.minutes) {
        const at = dayMs + (h * 60 + m) * 60_000;
        if (at > after.getTime()) return new Date(at);
      }
    }
  }
  return null;
}
