import * as kinds from './kinds.js';

// A module constant of its own: V8 folds it, where an imported binding costs a
// cell load and an initialisation check at each read.
const { LEVELS } = kinds;

/**
 * Which waiting copy an agent serves next: the oldest (one FIFO), the oldest
 * of the highest priority level, or by weighted fair sharing across priority
 * classes (one FIFO per class).
 */
const Orders = { Fifo: 0, Priority: 1, Fair: 2 } as const;
/** The orders, exported; the methods below read `Orders`, which V8 folds (an export is a cell it checks at each read). */
export const Order = Orders;

/**
 * Per-agent service state: worker slots, the waiting buffer and the senders
 * held back by backpressure. Queues are intrusive singly linked lists through
 * the copy pool's `next` array, one list per priority level (or class), so
 * enqueue and dequeue allocate nothing.
 *
 * Fair sharing is start-time fair queueing (Goyal, Vin and Cheng, "Start-time
 * Fair Queuing", SIGCOMM 1996): each class of each agent carries a tag, its
 * virtual finish time; a free slot goes to the waiting class with the
 * smallest tag, and the service it starts advances that tag by its duration
 * divided by the class's weight. A class that was idle starts from the
 * agent's virtual time (the tag of the service started last), so it gets
 * its share from now on, not credit for the time it sent nothing. Two
 * classes that always wait, with weights 3 and 1, get service time in the
 * ratio 3 : 1; a class that asks for less than its share gets all it asks.
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
  /** Copies waiting per agent and level (or class). */
  readonly queued: Int32Array;
  /**
   * Queues an agent has: one in FIFO order, one a level (or class) otherwise.
   * Agent a's are at a · levels …: in FIFO order sixteen agents' queue heads
   * share a cache line, where a row of LEVELS each would leave two.
   */
  private readonly levels: number;
  /** Fair order: virtual finish time per agent and class, and virtual time per agent (ms of service / weight). */
  private readonly tag: Float64Array;
  private readonly vtime: Float64Array;

  constructor(
    n: number,
    readonly slotBase: Int32Array,
    /** The copy pool's `next` links (re-read through the getter: the pool may grow). */
    private readonly links: { readonly next: Int32Array },
    /** An {@link Order}. */
    private readonly order: number,
    /** Fair order: 1 / weight of each class (empty otherwise). */
    private readonly invWeight: Float64Array = new Float64Array(0),
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
    const levels = order === Orders.Fifo ? 1 : LEVELS;
    this.levels = levels;
    this.head = new Int32Array(n * levels).fill(-1);
    this.tail = new Int32Array(n * levels).fill(-1);
    this.parkHead = new Int32Array(n).fill(-1);
    this.parkTail = new Int32Array(n).fill(-1);
    this.parked = new Int32Array(n);
    this.queued = new Int32Array(n * levels);
    const fair = order === Orders.Fair;
    this.tag = new Float64Array(fair ? n * levels : 0);
    this.vtime = new Float64Array(fair ? n : 0);
  }

  /** Copies in service or waiting at `a`: its load, as balancers, limiters and the autoscaler see it. */
  loadAt(a: number): number {
    return this.busy[a]! + this.waiting[a]!;
  }

  /** True when `a` has a worker slot free. */
  hasFreeWorker(a: number): boolean {
    return this.busy[a]! < this.workers[a]!;
  }

  /** Takes a free worker slot of `a` for copy `m`; the caller checked `hasFreeWorker`. */
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

  /** Queues copy `m` at agent `a` behind its priority level, or its class in fair order. */
  enqueue(a: number, m: number, level: number): void {
    const q = a * this.levels + (this.order === Orders.Fifo ? 0 : level);
    const next = this.links.next;
    next[m] = -1;
    const t = this.tail[q]!;
    if (t < 0) {
      this.head[q] = m;
      // A class that starts waiting again starts from the agent's virtual time.
      if (this.order === Orders.Fair && this.tag[q]! < this.vtime[a]!) this.tag[q] = this.vtime[a]!;
    } else next[t] = m;
    this.tail[q] = m;
    this.queued[q]!++;
    this.waiting[a]!++;
  }

  /** Removes the next copy to serve (highest level first, or the fair share's pick), or -1. */
  dequeue(a: number): number {
    if (this.waiting[a] === 0) return -1;
    const base = a * this.levels;
    if (this.order === Orders.Fair) {
      let best = -1;
      let bestTag = Infinity;
      for (let l = 0; l < this.levels; l++) {
        if (this.head[base + l]! >= 0 && this.tag[base + l]! < bestTag) {
          best = l;
          bestTag = this.tag[base + l]!;
        }
      }
      return best < 0 ? -1 : this.popHead(a, base + best, this.head[base + best]!);
    }
    for (let l = this.levels - 1; l >= 0; l--) {
      const m = this.head[base + l]!;
      if (m >= 0) return this.popHead(a, base + l, m);
    }
    return -1;
  }

  /** Fair order: class `cls` of agent `a` starts `ms` of service (its share advances by ms / weight). */
  charge(a: number, cls: number, ms: number): void {
    const q = a * this.levels + cls;
    const start = this.tag[q]! > this.vtime[a]! ? this.tag[q]! : this.vtime[a]!;
    this.vtime[a] = start;
    this.tag[q] = start + ms * this.invWeight[cls]!;
  }

  /**
   * Fair order, full buffer: the class to push a copy out of so that an
   * arrival of class `cls` can wait — the one furthest over its weighted
   * share of the buffer, counting the arrival — or -1 when that is `cls`
   * itself (the arrival is the one refused).
   */
  fairVictim(a: number, cls: number): number {
    const base = a * this.levels;
    const own = (this.queued[base + cls]! + 1) * this.invWeight[cls]!;
    let victim = -1;
    let most = own;
    for (let l = 0; l < this.invWeight.length; l++) {
      const share = this.queued[base + l]! * this.invWeight[l]!;
      if (l !== cls && this.queued[base + l]! > 0 && share > most) {
        victim = l;
        most = share;
      }
    }
    return victim;
  }

  /** Lowest priority level with a waiting copy, or -1. */
  lowestLevel(a: number): number {
    if (this.waiting[a] === 0) return -1;
    const base = a * this.levels;
    for (let l = 0; l < this.levels; l++) if (this.head[base + l]! >= 0) return l;
    return -1;
  }

  /** Removes the oldest copy of level `level` (drop-head, priority eviction). */
  removeOldest(a: number, level: number): number {
    const q = a * this.levels + level;
    const m = this.head[q]!;
    return m < 0 ? -1 : this.popHead(a, q, m);
  }

  private popHead(a: number, q: number, m: number): number {
    const nx = this.links.next[m]!;
    this.head[q] = nx;
    if (nx < 0) this.tail[q] = -1;
    this.queued[q]!--;
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
