import fc from 'fast-check';
import { cronCalendar, cronProblem, nextCronFire, TEMPORAL_LAST_CALENDAR_YEAR } from '@opsloop/domain';

const at = (iso: string) => new Date(iso);
const fire = (expression: string, after: string) => nextCronFire(cronCalendar(expression), at(after))?.toISOString() ?? null;

describe('cron fire times, as a Temporal Schedule reads them', () => {
  it('refuses 30 February, naming the fields that can never meet', () => {
    expect(cronProblem('0 0 30 2 *', at('2026-01-01T00:00:00Z'))).toBe(
      'never fires: no date before 2101 has day of month "30" in month "2" (a Temporal Schedule fires only when day of month, month and day of week all match)',
    );
  });

  it.each([
    ['31 April', '0 0 31 4 *'],
    ['the 31st of every 30-day month', '0 0 31 apr,jun,sep,nov *'],
    ['30 and 31 February', '15 6 30,31 feb *'],
  ])('refuses %s (%s)', (_what, expression) => {
    expect(cronProblem(expression, at('2026-06-01T00:00:00Z'))).toMatch(/^never fires: /);
  });

  it('keeps 29 February valid: it fires in the next leap year', () => {
    expect(cronProblem('0 0 29 2 *', at('2026-03-01T00:00:00Z'))).toBeNull();
    expect(fire('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('follows the century rule: 2100 is not a leap year, and Temporal looks no further', () => {
    expect(fire('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBeNull();
    expect(fire('0 0 29 2 *', '2095-12-31T00:00:00Z')).toBe('2096-02-29T00:00:00.000Z');
    expect(fire('0 0 29 2 *', '1999-03-01T00:00:00Z')).toBe('2000-02-29T00:00:00.000Z');
  });

  it('fires only when day of month and day of week both match (Friday the 13th)', () => {
    expect(fire('0 6 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-02-13T06:00:00.000Z');
    expect(fire('0 6 13 * 5', '2026-02-13T06:00:00Z')).toBe('2026-03-13T06:00:00.000Z');
  });

  it('accepts a day pair that meets only every few years (29 February on a Monday)', () => {
    expect(fire('0 0 29 2 mon', '2026-01-01T00:00:00Z')).toBe('2044-02-29T00:00:00.000Z');
    expect(cronProblem('0 0 29 2 mon', at('2026-01-01T00:00:00Z'))).toBeNull();
  });

  it('reads Sunday as 0 and as 7', () => {
    expect(fire('30 9 * * 7', '2026-05-01T00:00:00Z')).toBe('2026-05-03T09:30:00.000Z');
    expect(fire('30 9 * * 0', '2026-05-01T00:00:00Z')).toBe('2026-05-03T09:30:00.000Z');
  });

  it('reads a step from a start value as running to the field maximum, like Temporal', () => {
    expect(fire('50/5 * * * *', '2026-05-01T10:56:00Z')).toBe('2026-05-01T11:50:00.000Z');
  });

  it('fires strictly after the given time, later the same day when a time is left', () => {
    expect(fire('0 8,17 * * *', '2026-05-01T08:00:00Z')).toBe('2026-05-01T17:00:00.000Z');
    expect(fire('0 8,17 * * *', '2026-05-01T17:30:00Z')).toBe('2026-05-02T08:00:00.000Z');
  });

  it('expands every shortcut to a schedule that fires', () => {
    for (const s of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']) {
      expect(fire(s, '2026-05-01T12:34:00Z')).not.toBeNull();
    }
    expect(fire('@weekly', '2026-05-01T12:34:00Z')).toBe('2026-05-03T00:00:00.000Z');
  });
});

/** A random subset of a field, written as a comma list; the oracle knows the set directly. */
const subset = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 6 });
const afterTime = fc.date({ min: at('2000-01-01T00:00:00Z'), max: at('2090-12-31T00:00:00Z'), noInvalidDate: true });

/** The first matching day by walking the calendar a day at a time with the given sets. */
function firstMatchingDay(days: number[], months: number[], weekdays: number[] | null, from: Date): string | null {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day.getUTCFullYear() <= TEMPORAL_LAST_CALENDAR_YEAR; day.setUTCDate(day.getUTCDate() + 1)) {
    if (months.includes(day.getUTCMonth() + 1) && days.includes(day.getUTCDate()) && (!weekdays || weekdays.includes(day.getUTCDay()))) {
      return day.toISOString().slice(0, 10);
    }
  }
  return null;
}

describe('cron fire times: properties', () => {
  it('lands on a day every field matches, and no earlier matching day was skipped', () => {
    fc.assert(fc.property(subset(1, 31), subset(1, 12), fc.option(subset(0, 6)), afterTime, (days, months, weekdays, after) => {
      // Midnight-only fires: the first matching day strictly after `after` at 00:00.
      const expression = `0 0 ${days.join(',')} ${months.join(',')} ${weekdays ? weekdays.join(',') : '*'}`;
      const next = nextCronFire(cronCalendar(expression), after);
      // The day's own midnight is never after `after`, so the search starts the next day.
      const startDay = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate() + 1));
      const expected = firstMatchingDay(days, months, weekdays, startDay);
      expect(next ? next.toISOString().slice(0, 10) : null).toBe(expected);
      expect(cronProblem(expression, after) === null).toBe(expected !== null);
    }), { numRuns: 300 });
  });

  it('always accepts a day of month up to 28 with any months, hours and minutes, when the weekday is free', () => {
    fc.assert(fc.property(subset(1, 28), subset(1, 12), subset(0, 23), subset(0, 59), afterTime, (days, months, hours, minutes, after) => {
      expect(cronProblem(`${minutes.join(',')} ${hours.join(',')} ${days.join(',')} ${months.join(',')} *`, after)).toBeNull();
    }));
  });

  it('always refuses days past the end of every chosen month', () => {
    const monthsAndDays = fc.oneof(
      fc.record({ months: fc.subarray([4, 6, 9, 11], { minLength: 1 }), days: fc.constant([31]) }),
      fc.record({ months: fc.constant([2]), days: fc.subarray([30, 31], { minLength: 1 }) }),
    );
    fc.assert(fc.property(monthsAndDays, fc.option(subset(0, 7)), afterTime, ({ months, days }, weekdays, after) => {
      expect(cronProblem(`0 0 ${days.join(',')} ${months.join(',')} ${weekdays ? weekdays.join(',') : '*'}`, after)).toMatch(/^never fires: /);
    }));
  });

  it('matches a step list to the values it names', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 30 }), (start, step) => {
      const minutes = cronCalendar(`${start}/${step} * * * *`).minutes;
      const expected: number[] = [];
      for (let m = start; m <= 59; m += step) expected.push(m);
      expect(minutes).toEqual(expected);
    }));
  });
});
