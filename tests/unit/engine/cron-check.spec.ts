import { CRON_SHORTCUTS, cronProblem } from '@opsloop/domain';

describe('cron check', () => {
  it.each([
    ['every minute', '* * * * *'],
    ['a fixed time', '30 2 * * *'],
    ['the largest value of every field', '59 23 31 12 7'],
    ['the smallest value of every field', '0 0 1 1 0'],
    ['month and weekday names', '0 9 * jan mon'],
    ['names in any case', '0 9 * JAN-Mar Mon-FRI'],
    ['ranges', '0 9-17 * * 1-5'],
    ['a step over every value', '*/15 * * * *'],
    ['a step over a range', '0 8-18/2 * * *'],
    ['a step from a start value', '5/10 * * * *'],
    ['lists mixing values, ranges and steps', '0,15,30-40,50-59/3 * 1,15 * sat,sun'],
    ['extra whitespace around and between fields', '  0   12 *\t* *  '],
    ['Sunday written as 7', '0 0 * * 7'],
  ])('accepts %s (%s)', (_what, expression) => {
    expect(cronProblem(expression)).toBeNull();
  });

  it.each(CRON_SHORTCUTS.map((s) => [s]))('accepts the shortcut %s', (shortcut) => {
    expect(cronProblem(shortcut)).toBeNull();
    expect(cronProblem(shortcut.toUpperCase())).toBeNull();
  });

  it.each([
    ['a minute past 59', '61 * * * *', /^minute field "61": values must be whole numbers in 0-59$/],
    ['an hour past 23', '0 24 * * *', /^hour field "24"/],
    ['day of month 0', '0 0 0 * *', /^day of month field "0": values must be whole numbers in 1-31$/],
    ['month 13', '0 0 1 13 *', /^month field "13": values must be whole numbers in 1-12 or names$/],
    ['day of week 8', '0 0 * * 8', /^day of week field "8": values must be whole numbers in 0-7 or names$/],
    ['a month name in the weekday field', '0 0 * * jan', /^day of week field "jan"/],
    ['a weekday name in the month field', '0 0 * mon *', /^month field "mon"/],
    ['a weekday name in the hour field', '0 mon * * *', /^hour field "mon"/],
    ['a negative number', '-1 * * * *', /^minute field "-1"/],
    ['a fraction', '1.5 * * * *', /^minute field "1.5"/],
    ['an empty list item', '1,,2 * * * *', /^minute field "1,,2"/],
    ['a half-open range', '5- * * * *', /^minute field "5-"/],
    ['a star inside a range', '*-5 * * * *', /^minute field "\*-5"/],
  ])('refuses %s and names the field', (_what, expression, message) => {
    expect(cronProblem(expression)).toMatch(message);
  });

  it('refuses a backwards range', () => {
    expect(cronProblem('0 17-9 * * *')).toBe('hour field "17-9": range 17-9 runs backwards');
    expect(cronProblem('0 0 * dec-jan *')).toBe('month field "dec-jan": range dec-jan runs backwards');
  });

  it('refuses a range of more than two ends', () => {
    expect(cronProblem('1-2-3 * * * *')).toBe('minute field "1-2-3": "1-2-3" is not a value or a range');
  });

  it.each([
    ['zero', '*/0 * * * *', 'step "0" must be a positive whole number'],
    ['empty', '*/ * * * *', 'step "" must be a positive whole number'],
    ['not a number', '*/x * * * *', 'step "x" must be a positive whole number'],
    ['negative', '*/-2 * * * *', 'step "-2" must be a positive whole number'],
    ['given twice', '*/2/3 * * * *', 'more than one /'],
  ])('refuses a step that is %s', (_what, expression, problem) => {
    expect(cronProblem(expression)).toBe(`minute field "${expression.split(' ')[0]}": ${problem}`);
  });

  it('reports the first offending field when several are wrong', () => {
    expect(cronProblem('0 99 0 * *')).toMatch(/^hour field/);
  });

  it.each([
    ['four fields', '* * * *', 4],
    ['six fields (seconds are not supported)', '0 * * * * *', 6],
    ['one field', 'daily', 1],
  ])('refuses %s and says five are needed', (_what, expression, count) => {
    expect(cronProblem(expression)).toBe(`needs 5 fields (minute hour day-of-month month day-of-week), got ${count}`);
  });

  it('refuses an unknown shortcut and lists the known ones', () => {
    const problem = cronProblem('@fortnightly');
    expect(problem).toMatch(/^unknown shortcut @fortnightly; use one of /);
    for (const shortcut of CRON_SHORTCUTS) expect(problem).toContain(shortcut);
    expect(cronProblem('@reboot')).toMatch(/^unknown shortcut @reboot/);
  });
});
