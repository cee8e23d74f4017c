/**
 * The most intervals open at once (an end at t closes before a start at t),
 * by a sweep over sorted starts and ends that can run in parts: `sweep(w)`
 * consumes the starts and ends before `w` and keeps the rest, so that only
 * the ends of intervals still open and the events not yet reached are held.
 * Swept in parts at watermarks before which no later interval starts or ends,
 * it gives exactly what one sweep over all the intervals gives.
 */
export class PeakTracker {
  private starts: Float64Array = new Float64Array(16);
  private ends: Float64Array = new Float64Array(16);
  private ns = 0;
  private ne = 0;
  /** Intervals open after the last sweep. */
  private open = 0;
  max = 0;

  add(start: number, end: number): void {
    if (this.ns === this.starts.length) this.starts = grow(this.starts);
    if (this.ne === this.ends.length) this.ends = grow(this.ends);
    this.starts[this.ns++] = start;
    this.ends[this.ne++] = end;
  }

  /** Held after the last sweep: a sweep waits until as many again have come, so that sorting stays O(n log n) in all. */
  private kept = 0;

  /** Sweeps the events before `watermark` (Infinity: all, now). */
  sweep(watermark: number): void {
    if (this.ns === 0) return;
    if (watermark !== Infinity && this.ns + this.ne < 2 * this.kept + 4096) return;
    const starts = this.starts.subarray(0, this.ns).sort();
    const ends = this.ends.subarray(0, this.ne).sort();
    let cur = this.open;
    let i = 0;
    let j = 0;
    for (; i < this.ns && starts[i]! < watermark; i++) {
      while (j < this.ne && ends[j]! <= starts[i]!) {
        j++;
        cur--;
      }
      cur++;
      if (cur > this.max) this.max = cur;
    }
    // Ends before the watermark close before any start still to come.
    while (j < this.ne && ends[j]! < watermark && (i === this.ns || ends[j]! <= starts[i]!)) {
      j++;
      cur--;
    }
    this.open = cur;
    this.starts.copyWithin(0, i, this.ns);
    this.ns -= i;
    this.ends.copyWithin(0, j, this.ne);
    this.ne -= j;
    this.kept = this.ns + this.ne;
  }
}

function grow(a: Float64Array): Float64Array {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
}
