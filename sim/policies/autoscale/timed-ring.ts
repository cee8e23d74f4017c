/**
 * The last few (time, value) pairs an autoscaler keeps — its recommendations
 * for the stabilisation windows, its changes for the rate policies — in a ring
 * of fixed capacity: the oldest is overwritten once it is full.
 */
export class TimedRing {
  private readonly atMs: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  /** Pairs held (at most the capacity). */
  size = 0;

  constructor(capacity: number) {
    this.atMs = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(atMs: number, value: number): void {
    this.atMs[this.head] = atMs;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.atMs.length;
    if (this.size < this.atMs.length) this.size++;
  }

  /** Time of the k-th most recent pair (k = 0 is the latest). */
  timeAt(k: number): number {
    return this.atMs[this.index(k)]!;
  }

  /** Value of the k-th most recent pair. */
  valueAt(k: number): number {
    return this.values[this.index(k)]!;
  }

  private index(k: number): number {
    return (this.head + this.atMs.length - 1 - k) % this.atMs.length;
  }
}
