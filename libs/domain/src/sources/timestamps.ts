/**
 * Strict ISO-8601 instants: a date-time needs its zone (Z or an offset), a bare date is UTC
 * midnight, and impossible dates (Feb 30, 24:00) are refused rather than rolled over the way
 * Date.parse does.
 */
const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/i;

export const TIMESTAMP_HINT = 'an ISO-8601 timestamp with a zone (e.g. 2024-05-01T10:00:00Z) or epoch milliseconds';

/**
 * The common case without a regex: `YYYY-MM-DDTHH:MM:SS.sssZ` (what toISOString writes) or
 * `YYYY-MM-DDTHH:MM:SSZ`, read digit by digit. NaN when the text has any other shape.
 */
export function canonicalIsoMs(t: string): number {
  const n = t.length;
  if ((n !== 24 && n !== 20) || t.charCodeAt(n - 1) !== 0x5a /* Z */) return Number.NaN;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':' || (n === 24 && t[19] !== '.')) return Number.NaN;
  const year = digits(t, 0, 4), month = digits(t, 5, 2), day = digits(t, 8, 2);
  const hour = digits(t, 11, 2), minute = digits(t, 14, 2), second = digits(t, 17, 2), ms = n === 24 ? digits(t, 20, 3) : 0;
  // digits() is NaN for a non-digit, and every comparison with NaN is false.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Number.NaN;
  return utc(year, month, day, hour, minute, second, ms);
}

function digits(t: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/** Epoch milliseconds, or NaN when the text is not a valid ISO-8601 instant. */
export function parseTimestamp(text: string): number {
  const m = ISO.exec(text);
  if (m === null) return Number.NaN;
  const [year, month, day] = [+m[1], +m[2], +m[3]];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  if (m[4] === undefined) return utc(year, month, day, 0, 0, 0, 0);
  if (m[8] === undefined) return Number.NaN; // a wall-clock time without a zone is ambiguous
  const [hour, minute, second] = [+m[4], +m[5], m[6] === undefined ? 0 : +m[6]];
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = m[7] === undefined ? 0 : Math.floor(+`0.${m[7]}` * 1000);
  const offset = offsetMinutes(m[8]);
  if (Number.isNaN(offset)) return Number.NaN;
  return utc(year, month, day, hour, minute, second, ms) - offset * 60_000;
}

function offsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const [h, m] = [+digits.slice(0, 2), digits.length > 2 ? +digits.slice(2) : 0];
  if (h > 23 || m > 59) return Number.NaN;
  const minutes = h * 60 + m;
  return zone[0] === '-' ? -minutes : minutes;
}

function utc(year: number, month: number, day: number, h: number, mi: number, s: number, ms: number): number {
  const t = Date.UTC(year, month - 1, day, h, mi, s, ms);
  if (year >= 100) return t;
  // Date.UTC reads years 0-99 as 1900-1999.
  const d = new Date(t);
  d.setUTCFullYear(year);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
