/**
 * A bounded sample of a stream of values (own times, latencies, gaps, sizes):
 * every value is kept until `cap`, then Algorithm R (Vitter) keeps a uniform
 * random `cap` of them, so memory stays at 8 bytes × cap however long the
 * trace. The count and the sum are kept exactly. The random source is seeded:
 * the same input keeps the same values. Below the cap the values come back in
 * the order they were added, so small inputs are fitted exactly as before.
 */
export const RESERVOIR_CAP = 100_000;

export class Reservoir {
  private buf: Float64Array = new Float64Array(64);
  private size = 0;
  /** Values offered, kept or not. */
  count = 0;
  /** Their exact sum. */
  sum = 0;
  private seed = 0x9e3779b9;

  constructor(private readonly cap = RESERVOIR_CAP) {}

  add(x: number): void {
    this.count++;
    this.sum += x;
    if (this.size < this.cap) {
      if (this.size === this.buf.length) {
        const next = new Float64Array(Math.min(this.cap, this.buf.length * 2));
        next.set(this.buf);
        this.buf = next;
      }
      this.buf[this.size++] = x;
      return;
    }
    const j = Math.floor(this.random() * this.count);
    if (j < this.cap) this.buf[j] = x;
  }

  /** True when values were dropped (the sample is a uniform subset). */
  get sampled(): boolean {
    return this.count > this.size;
  }

  values(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.buf[i]!;
    return out;
  }

  /** mulberry32. */
  private random(): number {
    let t = (this.seed = (this.seed + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A growable array of doubles (the arrival times: 8 bytes a request). */
export class DoubleList {
  private buf: Float64Array = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }

  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}
