/**
 * The (series, timestamp, value) of every valid row of a batch in typed arrays, so the quality
 * gate can examine a million rows in 20 MB without one object per row. Points go into fixed-size
 * blocks (growing never copies) and each point links back to the previous point of its series,
 * so a series is read by walking its chain: no sort, no second copy of the batch.
 */
export const DEFAULT_MAX_TRACKED_SERIES = 100_000;
const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

interface Block {
  /** Index of the previous point of the same series, or -1. */
  prev: Int32Array;
  ts: Float64Array;
  values: Float64Array;
}

export class SeriesPoints {
  /** Points of series beyond `maxSeries`: counted in the time range, not examined for gaps or outliers. */
  untrackedPoints = 0;
  newestMs: number | null = null;
  oldestMs: number | null = null;
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Per series: its last point and its number of points. */
  private readonly tails: number[] = [];
  private readonly counts: number[] = [];
  private readonly watched: Set<string>;
  private readonly seen = new Set<string>();
  private readonly blocks: Block[] = [];
  private size = 0;

  /** `watch`: series whose presence must be known even past the cap (the expected series). */
  constructor(readonly maxSeries = DEFAULT_MAX_TRACKED_SERIES, watch: readonly string[] = []) {
    this.watched = new Set(watch);
  }

  get count(): number {
    return this.size;
  }

  get seriesCount(): number {
    return this.keys.length;
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
      this.tails.push(-1);
      this.counts.push(0);
    }
    const i = this.size;
    if ((i & MASK) === 0) this.blocks.push({ prev: new Int32Array(BLOCK), ts: new Float64Array(BLOCK), values: new Float64Array(BLOCK) });
    const b = this.blocks[i >>> SHIFT];
    b.prev[i & MASK] = this.tails[s];
    b.ts[i & MASK] = tsMs;
    b.values[i & MASK] = value === null ? Number.NaN : value;
    this.tails[s] = i;
    this.counts[s] += 1;
    this.size += 1;
  }

  has(seriesKey: string): boolean {
    return this.index.has(seriesKey) || this.seen.has(seriesKey);
  }

  largestSeries(): number {
    return this.counts.reduce((a, b) => Math.max(a, b), 0);
  }

  /**
   * Calls `visit` once per series with its timestamps and values (NaN: no value), newest first.
   * The arrays are views of two buffers reused for every series: copy what must outlive the call.
   */
  forEachSeries(visit: (key: string, ts: Float64Array, values: Float64Array) => void): void {
    const largest = this.largestSeries();
    const tsBuf = new Float64Array(largest);
    const valueBuf = new Float64Array(largest);
    for (let s = 0; s < this.keys.length; s++) {
      let n = 0;
      for (let i = this.tails[s]; i >= 0; n++) {
        const b = this.blocks[i >>> SHIFT];
        tsBuf[n] = b.ts[i & MASK];
        valueBuf[n] = b.values[i & MASK];
        i = b.prev[i & MASK];
      }
      visit(this.keys[s], tsBuf.subarray(0, n), valueBuf.subarray(0, n));
    }
  }
}
