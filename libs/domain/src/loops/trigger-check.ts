/**
 * Cron checks the API runs before a Schedule exists. Temporal accepts the classic five fields
 * (minute hour day-of-month month day-of-week) and the @hourly-style shortcuts; anything else is
 * refused here with a field error instead of failing later inside Temporal.
 */
export const CRON_SHORTCUTS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

/** Null when valid, otherwise a message naming the offending field. */
export function cronProblem(expression: string): string | null {
  const text = expression.trim().toLowerCase();
  if (text.startsWith('@')) return (CRON_SHORTCUTS as readonly string[]).includes(text) ? null : `unknown shortcut ${text}; use one of ${CRON_SHORTCUTS.join(', ')}`;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i]!;
    const problem = fieldProblem(part, field);
    if (problem) return `${field.name} field "${part}": ${problem}`;
  }
  return null;
}

type Field = (typeof FIELDS)[number];

function fieldProblem(part: string, field: Field): string | null {
  for (const item of part.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return 'more than one /';
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" must be a positive whole number`;
    if (range === '*') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values = bounds.map((b) => valueOf(b, field));
    if (values.some((v) => v === null)) return `values must be whole numbers in ${field.min}-${field.max}${'names' in field ? ' or names' : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return `range ${range} runs backwards`;
  }
  return null;
}

function valueOf(token: string, field: Field): number | null {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(token) : -1;
  if (named >= 0) return named + ('names' in field && field.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(token)) return null;
  const n = Number(token);
  return n >= field.min && n <= field.max ? n : null;
}
