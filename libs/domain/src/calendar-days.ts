/** UTC calendar days as `YYYY-MM-DD`, the unit daily planning data comes in. */
export const DAY_MS = 86_400_000;

/** Midnight UTC of a `YYYY-MM-DD` day, in epoch milliseconds. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The UTC day an instant (epoch ms or ISO timestamp) falls on. */
export function dayOf(instant: number | string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(dayStartMs(day) + days * DAY_MS);
}
