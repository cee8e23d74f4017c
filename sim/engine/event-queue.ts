import { growF64, growI32 } from './typed-arrays.js';

/** Fewest buckets the calendar keeps. */
const MIN_BUCKETS = 16;
/** Events read off the front to estimate the bucket width when the calendar is rebuilt. */
const WIDTH_SAMPLES = 64;
/**
 * Bucket width, in mean gaps between the next events to pop. Brown used 3;
 * 2 does as well on the front and walks shorter lists where far events
 * (timeouts) share the buckets: an empty bucket skipped is a sequential
 * read, a list node walked a random one.
 */
const WIDTH_PER_GAP = 2;
/**
 * Rebuild with a fresh width once the work of the last window (buckets
 * skipped to find the minimum, list nodes walked to insert) exceeds this many
 * steps per schedule (each event is scheduled once and popped once): the
 * width no longer fits the times pending.
 */
const MAX_STEPS_PER_OP = 4;
/**
 * Laps must stay exact integers, well inside 2^53: the width is kept at
 * least 2^-40 of the largest pending time, and a time whose lap passes
 * LAP_LIMIT (after the clock has run 2^10 times past that) forces a rebuild.
 */
const MIN_WIDTH_PER_TIME = 2 ** -40;
const LAP_LIMIT = 2 ** 50;
/** Longest review window, in bucket counts, after rebuilds that did not move the width. */
const MAX_PATIENCE = 64;

/**
 * The pending-event set: a calendar queue (Brown 1988) on typed arrays,
 * ordered by (time, sequence): two events at the same simulated time pop in
 * the order they were scheduled — the tie-break that makes a run
 * deterministic. The sequence is the order of each bucket's list, not a
 * stored number (see `insert`).
 *
 * Time is cut into buckets of `width`; an event goes into bucket
 * floor(time / width) modulo the bucket count (a power of two), in a list
 * kept sorted by (time, sequence). The earliest event is the head of the
 * first bucket, counted from the current one, whose head falls in the
 * current lap around the calendar. With a few events per bucket,
 * scheduling and popping cost O(1) each, where a binary heap pays
 * O(log n) — at 500 pending events, nine dependent levels per pop.
 *
 * A calendar is only as good as its width. It is re-estimated from the
 * pending times whenever the bucket count doubles or halves (the count
 * follows the pending set), and also whenever the recent work per operation
 * shows that the times pending have drifted away from it (a load phase with
 * a different time scale, far-future timeouts outnumbering near events).
 * Whatever the width, the order of pops is exact: the width decides speed
 * only, never which event comes next.
 *
 * Nothing is allocated per event: slots are recycled through a free list and
 * arrays only grow (doubling) when the pending set outgrows them; a lap is
 * computed from the time where it is needed rather than stored. (A slot as
 * one 64-byte record under a Float64 and an Int32 view of one buffer was
 * tried: a seventh of the L1 misses of p2p-10k, but 3–4% slower there and 4%
 * slower on the 10³-event hold model, measured head to head.)
 */
export class EventQueue {
  // Event slots: time, payload and the link to the next slot in its bucket
  // (or in the free list). The sequence number of the (time, sequence) order
  // is not stored: a new event is placed after every pending one of equal
  // time, so a bucket's list is in that order by construction (see `insert`).
  private slotTime: Float64Array;
  private slotKind: Int32Array;
  private slotA: Int32Array;
  private slotB: Int32Array;
  private slotNext: Int32Array;
  private freeHead = -1;
  private slotsUsed = 0;
  private count = 0;
  /** Events scheduled so far; a double so it cannot wrap within a run. */
  private scheduledCount = 0;

  // The calendar.
  private bucketHead: Int32Array;
  private bucketTail: Int32Array;
  private mask = 0;
  /** More pending events than this double the buckets; fewer than `shrinkBelow` halve them. */
  private growAbove = 0;
  private shrinkBelow = 0;
  private width = 1;
  private invWidth = 1;
  /** Lap (floor(time / width)) being scanned; no pending event has a smaller one. */
  private lap = 0;
  /** Slot of the earliest event when known, else −1. */
  private top = -1;

  // Cost accounting for width re-estimation: steps (buckets skipped to find
  // the earliest event, list nodes walked to insert) and schedules in the
  // current review window.
  private steps = 0;
  private ops = 0;
  /** Schedules per review window, in bucket counts; then the window and the steps it may spend. */
  private patience = 1;
  private window = 0;
  private stepBudget = 0;
  /** Steps of closed windows, and rebuilds: see `effort`. */
  private pastSteps = 0;
  private rebuilds = 0;
  /** All pending slots, gathered for a rebuild. */
  private scratch: Int32Array;
  private readonly sample = new Float64Array(WIDTH_SAMPLES);

  /** The time `scheduleWhen` schedules at. */
  readonly when = new Float64Array(1);

  /** Payload of the event returned by the last successful `pop()`. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.slotTime = new Float64Array(cap);
    this.slotKind = new Int32Array(cap);
    this.slotA = new Int32Array(cap);
    this.slotB = new Int32Array(cap);
    this.slotNext = new Int32Array(cap);
    this.scratch = new Int32Array(0);
    this.bucketHead = new Int32Array(MIN_BUCKETS).fill(-1);
    this.bucketTail = new Int32Array(MIN_BUCKETS).fill(-1);
    this.setBucketCount(MIN_BUCKETS);
  }

  /** Current simulated time: the time of the event being dispatched. */
  get now(): number {
    return this.time;
  }

  /** Number of pending events. */
  get size(): number {
    return this.count;
  }

  /** Total events ever scheduled (the sequence counter). */
  get scheduled(): number {
    return this.scheduledCount;
  }

  /** Time of the earliest pending event, or +Infinity when empty. */
  peekTime(): number {
    if (this.count === 0) return Infinity;
    let s = this.top;
    if (s < 0) s = this.top = this.locate();
    return this.slotTime[s]!;
  }

  /** Schedules an event of `kind` with two integer arguments at `time` (finite). */
  schedule(time: number, kind: number, a: number, b: number): void {
    this.when[0] = time;
    this.scheduleWhen(kind, a, b);
  }

  /**
   * `schedule` at the time in `when[0]`: the hot path's form. A time passed
   * to a call V8 does not inline is boxed in a new heap number; a typed
   * array takes it in place.
   */
  scheduleWhen(kind: number, a: number, b: number): void {
    const time = this.when[0]!;
    const lap = Math.floor(time * this.invWidth);
    // One test catches a lap too large for exact integers, and NaN or ±∞.
    const lapInRange = lap <= LAP_LIMIT && lap >= -LAP_LIMIT;
    if (!lapInRange && !Number.isFinite(time)) throw new RangeError(`event time must be finite, got ${time}`);
    let slot = this.freeHead;
    if (slot >= 0) {
      this.freeHead = this.slotNext[slot]!;
    } else {
      if (this.slotsUsed === this.slotKind.length) this.grow();
      slot = this.slotsUsed++;
    }
    this.scheduledCount++;
    this.slotTime[slot] = time;
    this.slotKind[slot] = kind;
    this.slotA[slot] = a;
    this.slotB[slot] = b;
    this.insert(slot, lap);
    this.count++;
    // An event earlier than every other becomes the top; one before the
    // lap being scanned moves the scan back to it. The top's time is read
    // and the top written on every call (its own time when there is none, so
    // nothing is earlier): a read first made once V8 has compiled this would
    // throw the compiled code away, here and wherever it was inlined.
    const top = this.top;
    const topTime = this.slotTime[top >= 0 ? top : slot]!;
    const earlier = time < topTime;
    const known = top >= 0;
    this.top = earlier && known ? slot : top;
    const scan = this.lap;
    this.lap = lap < scan ? lap : scan;

    if (this.count > this.growAbove) this.rebuild(2 * (this.mask + 1));
    else if (!lapInRange) this.rebuild(this.mask + 1);
    else if (++this.ops >= this.window || this.steps > this.stepBudget) this.reviewWidth();
  }

  /**
   * Removes the earliest event and exposes it in `time`, `kind`, `a`, `b`.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /**
   * Removes the earliest event when its time is at most `limit`, and exposes
   * it in `time`, `kind`, `a`, `b`; returns false, leaving it pending, when
   * it is later (or the queue is empty). The run loop's one call per event:
   * a peek, then a pop, would find the event twice, and V8 boxes the peeked
   * time where it merges with the empty queue's +Infinity.
   */
  popUntil(limit: number): boolean {
    if (this.count === 0) return false;
    let s = this.top;
    if (s < 0) s = this.top = this.locate();
    if (!(this.slotTime[s]! <= limit)) return false;
    this.top = -1;
    // The earliest event is always the head of the current lap's bucket.
    const bucket = this.lap & this.mask;
    const next = this.slotNext[s]!;
    this.bucketHead[bucket] = next;
    if (next < 0) this.bucketTail[bucket] = -1;

    this.time = this.slotTime[s]!;
    this.kind = this.slotKind[s]!;
    this.a = this.slotA[s]!;
    this.b = this.slotB[s]!;
    this.slotNext[s] = this.freeHead;
    this.freeHead = s;
    const n = --this.count;
    if (n < this.shrinkBelow) this.rebuild((this.mask + 1) >> 1);
    else if (this.steps > this.stepBudget) this.reviewWidth();
    return true;
  }

  /** Drops every pending event (keeps the allocated capacity). */
  clear(): void {
    this.count = 0;
    this.freeHead = -1;
    this.slotsUsed = 0;
    this.bucketHead.fill(-1);
    this.bucketTail.fill(-1);
    this.lap = 0;
    this.top = -1;
    this.steps = 0;
    this.ops = 0;
    this.setPatience(1);
  }

  /**
   * Work done beyond the O(1) minimum, for tests and benchmarks: steps
   * (buckets skipped, list nodes walked) and rebuilds since construction.
   */
  get effort(): { steps: number; rebuilds: number } {
    return { steps: this.pastSteps + this.steps, rebuilds: this.rebuilds };
  }

  /**
   * Finds the earliest event (count > 0) and leaves `lap` on it: scans one
   * lap of buckets from the current one, then, if every event lies in a
   * later lap, takes the earliest bucket head directly.
   */
  private locate(): number {
    const head = this.bucketHead;
    const slotTime = this.slotTime;
    const inv = this.invWidth;
    const mask = this.mask;
    let lap = this.lap;
    for (let k = 0; k <= mask; k++) {
      const h = head[lap & mask]!;
      if (h >= 0 && Math.floor(slotTime[h]! * inv) <= lap) {
        this.lap = lap;
        this.steps += k;
        return h;
      }
      lap++;
    }
    // Every pending event is at least a lap ahead: jump to the earliest.
    let best = -1;
    for (let i = 0; i <= mask; i++) {
      const h = head[i]!;
      // Equal times share a bucket: the heads' times all differ.
      if (h >= 0 && (best < 0 || slotTime[h]! < slotTime[best]!)) best = h;
    }
    this.lap = this.lapOf(best);
    this.steps += 2 * (mask + 1);
    return best;
  }

  /**
   * Links `slot` into its bucket's list after every slot of a time not later
   * than its own. Each list is thus in (time, sequence) order: a newly
   * scheduled event goes after the pending ones of its time, and a rebuild
   * re-inserts equal times — which share a bucket at any width — in their
   * list order.
   */
  private insert(slot: number, lap: number): void {
    const bucket = lap & this.mask;
    const tail = this.bucketTail[bucket]!;
    const next = this.slotNext;
    const slotTime = this.slotTime;
    const time = slotTime[slot]!;
    if (tail < 0) {
      this.bucketHead[bucket] = slot;
      this.bucketTail[bucket] = slot;
      next[slot] = -1;
      return;
    }
    // Appending is the common case: a new event is usually the latest in its
    // bucket.
    if (slotTime[tail]! <= time) {
      next[tail] = slot;
      next[slot] = -1;
      this.bucketTail[bucket] = slot;
      return;
    }
    const head = this.bucketHead[bucket]!;
    if (time < slotTime[head]!) {
      next[slot] = head;
      this.bucketHead[bucket] = slot;
      return;
    }
    let prev = head;
    let walked = 1;
    for (let cur = next[prev]!; slotTime[cur]! <= time; cur = next[prev]!) {
      prev = cur;
      walked++;
    }
    next[slot] = next[prev]!;
    next[prev] = slot;
    this.steps += walked;
  }

  /** floor(time / width) of a pending slot: the lap its bucket holds it for. */
  private lapOf(slot: number): number {
    return Math.floor(this.slotTime[slot]! * this.invWidth);
  }

  /**
   * Closes a review window: rebuilds with a fresh width if the window cost
   * too many steps per schedule. A window ends after `patience` schedules
   * per bucket, or as soon as its steps exceed what the whole window may
   * spend (a width far too narrow makes every pop scan a lap). A rebuild,
   * O(n), thus follows at least 2n wasted steps and never costs more than the
   * waste it ends. A rebuild that leaves the width within a factor of two
   * doubles the patience (the window's length), so that a set of times no
   * width suits well (near events and far timeouts in moving bands) is not
   * rebuilt at every window; a cheap window, or a rebuild that moved the
   * width further, resets it, so a width that has gone stale is not kept
   * for long.
   */
  private reviewWidth(): void {
    const slow = this.steps > MAX_STEPS_PER_OP * this.ops;
    this.pastSteps += this.steps;
    this.steps = 0;
    this.ops = 0;
    if (!slow) {
      this.setPatience(1);
      return;
    }
    const before = this.width;
    this.rebuild(this.mask + 1);
    const moved = this.width / before;
    this.setPatience(moved > 0.5 && moved < 2 ? Math.min(2 * this.patience, MAX_PATIENCE) : 1);
  }

  private setPatience(patience: number): void {
    this.patience = patience;
    this.window = patience * (this.mask + 1 + MIN_BUCKETS);
    this.stepBudget = MAX_STEPS_PER_OP * this.window;
  }

  /**
   * Re-lays the pending events over `buckets` buckets, with a width
   * estimated from the events at the front.
   */
  private rebuild(buckets: number): void {
    this.rebuilds++;
    const n = this.count;
    if (this.scratch.length < n) this.scratch = new Int32Array(Math.max(n, 2 * this.scratch.length));
    const all = this.scratch;
    let k = 0;
    let first = -1;
    let maxAbs = 0;
    for (let bkt = 0; bkt <= this.mask; bkt++) {
      for (let s = this.bucketHead[bkt]!; s >= 0; s = this.slotNext[s]!) {
        all[k++] = s;
        // Strictly earlier: of equal times, the first in its list (the first scheduled).
        if (first < 0 || this.slotTime[s]! < this.slotTime[first]!) first = s;
        const t = Math.abs(this.slotTime[s]!);
        if (t > maxAbs) maxAbs = t;
      }
    }
    if (first >= 0) this.setWidth(this.frontWidth(this.lapOf(first)), maxAbs);

    if (buckets !== this.mask + 1) {
      this.bucketHead = new Int32Array(buckets);
      this.bucketTail = new Int32Array(buckets);
      this.setBucketCount(buckets);
    }
    this.bucketHead.fill(-1);
    this.bucketTail.fill(-1);
    // Buckets were read in order and each list is sorted, so most slots
    // append; `insert` sorts the rest by (time, sequence).
    const inv = this.invWidth;
    for (let i = 0; i < n; i++) {
      const s = all[i]!;
      this.insert(s, Math.floor(this.slotTime[s]! * inv));
    }
    this.top = first;
    this.lap = first >= 0 ? this.lapOf(first) : 0;
    this.pastSteps += this.steps;
    this.steps = 0;
    this.ops = 0;
  }

  /**
   * Brown's width: WIDTH_PER_GAP times the mean gap between the next events
   * to pop, after dropping gaps over twice the mean (a lone far event). The
   * events are read in order off the current calendar, one lap from
   * `fromLap`; returns 0 when that lap holds fewer than two.
   */
  private frontWidth(fromLap: number): number {
    const sample = this.sample;
    const head = this.bucketHead;
    const next = this.slotNext;
    const slotTime = this.slotTime;
    const inv = this.invWidth;
    const mask = this.mask;
    let m = 0;
    let lap = fromLap;
    for (let i = 0; i <= mask && m < WIDTH_SAMPLES; i++, lap++) {
      // A bucket's events of this lap are a sorted prefix of its list.
      for (let s = head[lap & mask]!; s >= 0 && Math.floor(slotTime[s]! * inv) <= lap && m < WIDTH_SAMPLES; s = next[s]!) {
        sample[m++] = slotTime[s]!;
      }
    }
    if (m < 2) return 0;
    const mean = (sample[m - 1]! - sample[0]!) / (m - 1);
    let sum = 0;
    let gaps = 0;
    for (let i = 1; i < m; i++) {
      const gap = sample[i]! - sample[i - 1]!;
      if (gap <= 2 * mean) {
        sum += gap;
        gaps++;
      }
    }
    return (WIDTH_PER_GAP * sum) / gaps;
  }

  /** Sets the bucket count (a power of two) and the thresholds that follow from it. */
  private setBucketCount(buckets: number): void {
    this.mask = buckets - 1;
    this.growAbove = 2 * buckets;
    this.shrinkBelow = buckets > MIN_BUCKETS ? buckets >> 2 : 0;
    this.setPatience(this.patience);
  }

  /** Takes `estimate` (keeping the old width when it is 0), no narrower than the times allow. */
  private setWidth(estimate: number, maxAbsTime: number): void {
    const width = estimate > 0 && Number.isFinite(estimate) ? estimate : this.width;
    this.width = Math.max(width, maxAbsTime * MIN_WIDTH_PER_TIME);
    this.invWidth = 1 / this.width;
  }

  private grow(): void {
    const cap = this.slotKind.length * 2;
    this.slotTime = growF64(this.slotTime, cap);
    this.slotKind = growI32(this.slotKind, cap);
    this.slotA = growI32(this.slotA, cap);
    this.slotB = growI32(this.slotB, cap);
    this.slotNext = growI32(this.slotNext, cap);
  }
}
