import { LEVELS } from './kinds.js';

/**
 * Per-agent service state: worker slots, the waiting buffer and the senders
 * held back by backpressure. Queues are intrusive singly linked lists through
 * the copy pool's `next` array, one list per priority level, so enqueue and
 * dequeue allocate nothing.
 */
export class AgentQueues {
  /** Copies waiting (not in service), per agent. */
  readonly waiting: Int32Array;
  /** Busy worker slots, per agent. */
  readonly busy: Int32Array;
  readonly workers: Int32Array;
  /** Copy in each worker slot (-1 = free) and when its service started, ms. */
  readonly slotCopy: Int32Array;
  readonly slotStart: Float64Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  /** Free slots of agent a: slotFree[slotBase[a] … slotBase[a] + freeCount[a] − 1]. */
  private readonly slotFree: Int32Array;
  private readonly freeCount: Int32Array;
  private readonly parkHead: Int32Array;
  private readonly parkTail: Int32Array;
  readonly parked: Int32Array;

  constructor(
    n: number,
    readonly slotBase: Int32Array,
    /** The copy pool's `next` links (re-read through the getter: the pool may grow). */
    private readonly links: { readonly next: Int32Array },
    /** Serve higher priority first; otherwise one FIFO per agent. */
    private readonly byPriority: boolean,
  ) {
    this.waiting = new Int32Array(n);
    this.busy = new Int32Array(n);
    this.workers = new Int32Array(n);
    const total = slotBase[n]!;
    this.slotCopy = new Int32Array(total).fill(-1);
    this.slotStart = new Float64Array(total);
    this.slotFree = new Int32Array(total);
    this.freeCount = new Int32Array(n);
    for (let a = 0; a < n; a++) {
      const base = slotBase[a]!;
      const w = slotBase[a + 1]! - base;
      this.workers[a] = w;
      this.freeCount[a] = w;
      // Pop order: slot 0 first.
      for (let k = 0; k < w; k++) this.slotFree[base + k] = base + w - 1 - k;
    }
    this.head = new Int32Array(n * LEVELS).fill(-1);
    this.tail = new Int32Array(n * LEVELS).fill(-1);
    this.parkHead = new Int32Array(n).fill(-1);
    this.parkTail = new Int32Array(n).fill(-1);
    this.parked = new Int32Array(n);
  }

  /** Takes a free worker slot of `a` for copy `m`; the caller checked busy < workers. */
  takeSlot(a: number, m: number, nowMs: number): number {
    const slot = this.slotFree[this.slotBase[a]! + --this.freeCount[a]!]!;
    this.slotCopy[slot] = m;
    this.slotStart[slot] = nowMs;
    this.busy[a]!++;
    return slot;
  }

  releaseSlot(a: number, slot: number): void {
    this.slotCopy[slot] = -1;
    this.slotFree[this.slotBase[a]! + this.freeCount[a]!++] = slot;
    this.busy[a]!--;
  }

  enqueue(a: number, m: number, priority: number): void {
    const q = a * LEVELS + (this.byPriority ? priority : 0);
    const next = this.links.next;
    next[m] = -1;
    const t = this.tail[q]!;
    if (t < 0) this.head[q] = m;
    else next[t] = m;
    this.tail[q] = m;
    this.waiting[a]!++;
  }

  /** Removes the next copy to serve (highest level first), or -1. */
  dequeue(a: number): number {
    if (this.waiting[a] === 0) return -1;
    const base = a * LEVELS;
    for (let l = this.byPriority ? LEVELS - 1 : 0; l >= 0; l--) {
      const m = this.head[base + l]!;
      if (m >= 0) return this.popHead(a, base + l, m);
    }
    return -1;
  }

  /** Lowest priority level with a waiting copy, or -1. */
  lowestLevel(a: number): number {
    if (this.waiting[a] === 0) return -1;
    const base = a * LEVELS;
    for (let l = 0; l < LEVELS; l++) if (this.head[base + l]! >= 0) return l;
    return -1;
  }

  /** Removes the oldest copy of level `level` (drop-head, priority eviction). */
  removeOldest(a: number, level: number): number {
    const q = a * LEVELS + level;
    const m = this.head[q]!;
    return m < 0 ? -1 : this.popHead(a, q, m);
  }

  private popHead(a: number, q: number, m: number): number {
    const nx = this.links.next[m]!;
    this.head[q] = nx;
    if (nx < 0) this.tail[q] = -1;
    this.waiting[a]!--;
    return m;
  }

  /** Holds a copy back for `a` (backpressure) until `a` has room. */
  park(a: number, m: number): void {
    const next = this.links.next;
    next[m] = -1;
    const t = this.parkTail[a]!;
    if (t < 0) this.parkHead[a] = m;
    else next[t] = m;
    this.parkTail[a] = m;
    this.parked[a]!++;
  }

  unpark(a: number): number {
    const m = this.parkHead[a]!;
    if (m < 0) return -1;
    const nx = this.links.next[m]!;
    this.parkHead[a] = nx;
    if (nx < 0) this.parkTail[a] = -1;
    this.parked[a]!--;
    return m;
  }
}
