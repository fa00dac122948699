/**
 * The (series, timestamp, value) of every valid row of a batch, in growable typed arrays, so the
 * quality gate can examine a million rows in a few megabytes without one object per row.
 */
export const DEFAULT_MAX_TRACKED_SERIES = 100_000;
const INITIAL_CAPACITY = 1024;

export interface GroupedPoints {
  /** Series s owns ts/values[offsets[s] .. offsets[s + 1]). */
  offsets: Int32Array;
  ts: Float64Array;
  /** NaN where the row has no value. */
  values: Float64Array;
  keys: readonly string[];
}

export class SeriesPoints {
  /** Points of series beyond `maxSeries`: counted in the time range, not examined for gaps or outliers. */
  untrackedPoints = 0;
  newestMs: number | null = null;
  oldestMs: number | null = null;
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly watched: Set<string>;
  private readonly seen = new Set<string>();
  private series = new Int32Array(INITIAL_CAPACITY);
  private ts = new Float64Array(INITIAL_CAPACITY);
  private values = new Float64Array(INITIAL_CAPACITY);
  private size = 0;

  /** `watch`: series whose presence must be known even past the cap (the expected series). */
  constructor(readonly maxSeries = DEFAULT_MAX_TRACKED_SERIES, watch: readonly string[] = []) {
    this.watched = new Set(watch);
  }

  get count(): number {
    return this.size;
  }

  add(seriesKey: string, tsMs: number, value: number | null): void {
    if (this.newestMs === null || tsMs > this.newestMs) this.newestMs = tsMs;
    if (this.oldestMs === null || tsMs < this.oldestMs) this.oldestMs = tsMs;
    let s = this.index.get(seriesKey);
    if (s === undefined) {
      if (this.keys.length >= this.maxSeries) {
        this.untrackedPoints += 1;
        if (this.watched.has(seriesKey)) this.seen.add(seriesKey);
        return;
      }
      s = this.keys.length;
      this.index.set(seriesKey, s);
      this.keys.push(seriesKey);
    }
    if (this.size === this.ts.length) this.grow();
    this.series[this.size] = s;
    this.ts[this.size] = tsMs;
    this.values[this.size] = value === null ? Number.NaN : value;
    this.size += 1;
  }

  has(seriesKey: string): boolean {
    return this.index.has(seriesKey) || this.seen.has(seriesKey);
  }

  /** The points grouped by series (counting sort: linear, stable within a series). */
  grouped(): GroupedPoints {
    const n = this.keys.length;
    const offsets = new Int32Array(n + 1);
    for (let k = 0; k < this.size; k++) offsets[this.series[k] + 1] += 1;
    for (let s = 0; s < n; s++) offsets[s + 1] += offsets[s];
    const next = offsets.slice(0, n);
    const ts = new Float64Array(this.size);
    const values = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const at = next[this.series[k]]++;
      ts[at] = this.ts[k];
      values[at] = this.values[k];
    }
    return { offsets, ts, values, keys: this.keys };
  }

  largestSeries(): number {
    const counts = new Int32Array(this.keys.length);
    let largest = 0;
    for (let k = 0; k < this.size; k++) largest = Math.max(largest, ++counts[this.series[k]]);
    return largest;
  }

  private grow(): void {
    const capacity = this.ts.length * 2;
    const series = new Int32Array(capacity);
    series.set(this.series);
    const ts = new Float64Array(capacity);
    ts.set(this.ts);
    const values = new Float64Array(capacity);
    values.set(this.values);
    [this.series, this.ts, this.values] = [series, ts, values];
  }
}
