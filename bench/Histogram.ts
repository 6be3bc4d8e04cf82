/** Growth factor between bucket bounds: percentiles are exact to within 1%. */
const growth = 1.01;
const logGrowth = Math.log(growth);
/** Values below this many milliseconds share the first bucket (10 µs: below timer resolution that matters). */
const floorMs = 0.01;

/** A histogram's state as it crosses a process boundary (plain JSON). */
export interface HistogramData {
  counts: Record<number, number>;
  count: number;
  max: number;
  sum: number;
}

/**
 * A latency histogram with logarithmic buckets (1% apart). Fixed memory whatever the sample
 * count, so a generator can record millions of deliveries, and mergeable across processes.
 */
export class Histogram {
  private counts = new Map<number, number>();
  count = 0;
  max = 0;
  sum = 0;

  /** Records one value in milliseconds. */
  record(ms: number): void {
    const v = ms < floorMs ? floorMs : ms;
    const bucket = Math.ceil(Math.log(v / floorMs) / logGrowth);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** Adds another histogram's samples to this one. */
  merge(other: HistogramData | Histogram): void {
    const data = other instanceof Histogram ? other.toJSON() : other;
    for (const [k, n] of Object.entries(data.counts)) {
      const bucket = Number(k);
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n);
    }
    this.count += data.count;
    this.sum += data.sum;
    if (data.max > this.max) this.max = data.max;
  }

  /** The value at percentile p (0–100), in milliseconds; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return Math.min(this.max, floorMs * growth ** bucket);
    }
    return this.max;
  }

  /** Mean in milliseconds. */
  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Plain data for process.send. */
  toJSON(): HistogramData {
    return { counts: Object.fromEntries(this.counts), count: this.count, max: this.max, sum: this.sum };
  }

  /** Rebuilds a histogram from {@link toJSON} data. */
  static from(data: HistogramData): Histogram {
    const h = new Histogram();
    h.merge(data);
    return h;
  }
}
