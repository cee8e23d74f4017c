/**
 * The most intervals open at once (an end at t closes before a start at t),
 * by a sweep over sorted starts and ends that can run in parts: `sweep(w)`
 * consumes the starts and ends before `w` and keeps the rest, so that only
 * the ends of intervals still open and the events not yet reached are held.
 * Swept in parts at watermarks before which no later interval starts or ends,
 * it gives exactly what one sweep over all the intervals gives.
 *
 * The same sweep tells whether a hand-off queued at this replica: a span that
 * starts as another one on the replica ends (within QUEUED_WITHIN_MS) was
 * waiting for that worker — a work-conserving server starts a message on
 * arrival when a worker is free, so its start meeting an end is the mark of
 * a wait — and its gap from its caller's end holds that wait besides the
 * network's time. `addHandoff` tags such a start with its gap; the sweep
 * hands each tagged gap to `onGap` with the verdict.
 */
/** A start this close after an end on the same replica counts as one that waited for it, ms. */
export const QUEUED_WITHIN_MS = 0.05;

export class PeakTracker {
  private starts: Float64Array = new Float64Array(16);
  private ends: Float64Array = new Float64Array(16);
  private ns = 0;
  private ne = 0;
  /** Intervals open after the last sweep. */
  private open = 0;
  max = 0;
  /** Hand-offs into this replica not yet judged: their starts and gaps. */
  private tagStarts: number[] = [];
  private tagGaps: number[] = [];
  /** The latest end consumed by a sweep (-Infinity: none yet). */
  private lastEnd = -Infinity;

  /** `onGap(gap, queued)` gets each hand-off's gap once a sweep has passed its start. */
  constructor(private readonly onGap: ((gap: number, queued: boolean) => void) | null = null) {}

  add(start: number, end: number): void {
    if (this.ns === this.starts.length) this.starts = grow(this.starts);
    if (this.ne === this.ends.length) this.ends = grow(this.ends);
    this.starts[this.ns++] = start;
    this.ends[this.ne++] = end;
  }

  /** A hand-off into this replica started at `start`, `gap` ms after its caller's span ended (its interval is `add`ed too). */
  addHandoff(start: number, gap: number): void {
    this.tagStarts.push(start);
    this.tagGaps.push(gap);
  }

  /** Held after the last sweep: a sweep waits until as many again have come, so that sorting stays O(n log n) in all. */
  private kept = 0;

  /** Sweeps the events before `watermark` (Infinity: all, now). */
  sweep(watermark: number): void {
    if (this.ns === 0) return;
    if (watermark !== Infinity && this.ns + this.ne < 2 * this.kept + 4096) return;
    const starts = this.starts.subarray(0, this.ns).sort();
    const ends = this.ends.subarray(0, this.ne).sort();
    if (this.tagStarts.length > 0) this.judgeHandoffs(ends, watermark);
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
    if (j > 0) this.lastEnd = Math.max(this.lastEnd, ends[j - 1]!);
    this.starts.copyWithin(0, i, this.ns);
    this.ns -= i;
    this.ends.copyWithin(0, j, this.ne);
    this.ne -= j;
    this.kept = this.ns + this.ne;
  }

  /**
   * The hand-offs that started before `watermark`: each queued when the
   * latest end at or before its start, among `ends` (sorted, not yet
   * consumed) and those consumed before, is within QUEUED_WITHIN_MS of it.
   */
  private judgeHandoffs(ends: Float64Array, watermark: number): void {
    const keptStarts: number[] = [];
    const keptGaps: number[] = [];
    for (let t = 0; t < this.tagStarts.length; t++) {
      const start = this.tagStarts[t]!;
      if (start >= watermark) {
        keptStarts.push(start);
        keptGaps.push(this.tagGaps[t]!);
        continue;
      }
      // The last end ≤ start (binary search), else the latest consumed.
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! <= start) lo = mid + 1;
        else hi = mid;
      }
      const before = lo > 0 ? Math.max(ends[lo - 1]!, this.lastEnd) : this.lastEnd;
      this.onGap?.(this.tagGaps[t]!, start - before <= QUEUED_WITHIN_MS);
    }
    this.tagStarts = keptStarts;
    this.tagGaps = keptGaps;
  }
}

function grow(a: Float64Array): Float64Array {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
}
