/** Port: the newest reading of a series a loop collected after a moment (for outcome checks). */
export abstract class CollectedReadings {
  abstract latestAfter(loopId: string, series: string, afterIso: string): Promise<number | null>;
}
