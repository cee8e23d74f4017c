import { growF64, growI32 } from './typed-arrays.js';

/**
 * The pending-event set: a binary min-heap on typed arrays, keyed on
 * (time, sequence). The sequence number is assigned at scheduling, so two
 * events at the same simulated time pop in the order they were scheduled —
 * the tie-break that makes a run deterministic.
 *
 * Layout: the heap holds (time, slot) inline; the sequence number lives with
 * the payload (kind, a, b) in event slots recycled through a free list, and is
 * read only when two times are equal. Each level of a sift then moves two
 * numbers instead of three and compares one. Nothing is allocated per event:
 * arrays only grow (doubling) when the pending set outgrows them.
 *
 * `pop()` uses the bottom-up variant (Wegener): the hole left at the root is
 * walked down to a leaf along the smaller child (one comparison per level),
 * then the last element is sifted up from there. Most of the time it stays
 * near the leaf, so this does about half the comparisons of the textbook
 * sift-down.
 */
export class EventQueue {
  private heapTime: Float64Array;
  private heapSlot: Int32Array;
  /** Sequence number of the event in each slot (the tie-break). */
  private slotSeq: Float64Array;
  private slotKind: Int32Array;
  private slotA: Int32Array;
  private slotB: Int32Array;
  /** Free slots form a stack threaded through `freeNext`. */
  private freeNext: Int32Array;
  private freeHead = -1;
  private slotsUsed = 0;
  private count = 0;
  /** Next sequence number; a double so it cannot wrap within a run. */
  private nextSeq = 0;

  /** Payload of the event returned by the last successful `pop()`. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.heapTime = new Float64Array(cap);
    this.heapSlot = new Int32Array(cap);
    this.slotSeq = new Float64Array(cap);
    this.slotKind = new Int32Array(cap);
    this.slotA = new Int32Array(cap);
    this.slotB = new Int32Array(cap);
    this.freeNext = new Int32Array(cap);
  }

  /** Current simulated time: the time of the event being dispatched. */
  get now(): number {
    return this.time;
  }

  /** Number of pending events. */
  get size(): number {
    return this.count;
  }

  /** Time of the earliest pending event, or +Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.heapTime[0]! : Infinity;
  }

  /** Total events ever scheduled (the sequence counter). */
  get scheduled(): number {
    return this.nextSeq;
  }

  /** Schedules an event of `kind` with two integer arguments at `time`. */
  schedule(time: number, kind: number, a: number, b: number): void {
    let slot = this.freeHead;
    if (slot >= 0) {
      this.freeHead = this.freeNext[slot]!;
    } else {
      if (this.slotsUsed === this.slotKind.length) this.grow();
      slot = this.slotsUsed++;
    }
    this.slotKind[slot] = kind;
    this.slotA[slot] = a;
    this.slotB[slot] = b;

    const seq = this.nextSeq++;
    this.slotSeq[slot] = seq;
    const ht = this.heapTime;
    const hslot = this.heapSlot;
    const ss = this.slotSeq;
    // Sift up with a hole: parents move down until the new key fits.
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p]!;
      if (pt < time || (pt === time && ss[hslot[p]!]! < seq)) break;
      ht[i] = pt;
      hslot[i] = hslot[p]!;
      i = p;
    }
    ht[i] = time;
    hslot[i] = slot;
  }

  /**
   * Removes the earliest event and exposes it in `time`, `kind`, `a`, `b`.
   * Returns false when the queue is empty.
   */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const ht = this.heapTime;
    const hslot = this.heapSlot;
    const ss = this.slotSeq;

    const slot = hslot[0]!;
    this.time = ht[0]!;
    this.kind = this.slotKind[slot]!;
    this.a = this.slotA[slot]!;
    this.b = this.slotB[slot]!;
    this.freeNext[slot] = this.freeHead;
    this.freeHead = slot;

    const last = n - 1;
    this.count = last;
    if (last === 0) return true;

    const lt = ht[last]!;
    const lslot = hslot[last]!;
    const ls = ss[lslot]!;

    // Walk the hole from the root down to a leaf along the smaller child.
    // The pick is branch-free on time (random times mispredict half the
    // time); the rare tie takes a predictable branch to compare sequences.
    let i = 0;
    let c = 1;
    while (c < last) {
      const r = c + 1;
      if (r < last) {
        const ct = ht[c]!;
        const rt = ht[r]!;
        let right = +(rt < ct);
        if (rt === ct) right = +(ss[hslot[r]!]! < ss[hslot[c]!]!);
        c += right;
      }
      ht[i] = ht[c]!;
      hslot[i] = hslot[c]!;
      i = c;
      c = 2 * i + 1;
    }
    // Sift the former last element up from the hole.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p]!;
      if (pt < lt || (pt === lt && ss[hslot[p]!]! < ls)) break;
      ht[i] = pt;
      hslot[i] = hslot[p]!;
      i = p;
    }
    ht[i] = lt;
    hslot[i] = lslot;
    return true;
  }

  /** Drops every pending event (keeps the allocated capacity). */
  clear(): void {
    this.count = 0;
    this.freeHead = -1;
    this.slotsUsed = 0;
  }

  private grow(): void {
    const cap = this.slotKind.length * 2;
    this.heapTime = growF64(this.heapTime, cap);
    this.heapSlot = growI32(this.heapSlot, cap);
    this.slotSeq = growF64(this.slotSeq, cap);
    this.slotKind = growI32(this.slotKind, cap);
    this.slotA = growI32(this.slotA, cap);
    this.slotB = growI32(this.slotB, cap);
    this.freeNext = growI32(this.freeNext, cap);
  }
}
