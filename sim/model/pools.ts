import { growF64, growI32, growU8 } from '../engine/typed-arrays.js';

/**
 * Struct-of-arrays pools for the three kinds of in-flight state. An index is
 * recycled through a free list; a generation counter per slot lets events that
 * outlive their object be recognised as stale without removing them from the
 * event queue. Arrays only grow (doubling), so nothing is allocated per event.
 *
 * Callers must re-read a field array after an `alloc()` (it may have grown).
 *
 * The three pools repeat their free-list code on purpose: a shared base class
 * makes `alloc`/`release` polymorphic across three receivers, and that cost
 * the M/M/1 scenario about 20% of its events/s when it was tried.
 */

/** A job: one logical message from the workload, through its stages. */
export class JobPool {
  created = new Float64Array(0);
  /** Workload entry index. */
  entry = new Int32Array(0);
  /** Origin agent, or -1 for external. */
  origin = new Int32Array(0);
  /** Sequence number within its entry (keys counter-based draws). */
  seq = new Int32Array(0);
  bytes = new Float64Array(0);
  /** Tokens carried from a trace, or -1 to draw them at LLM roles. */
  tokIn = new Float64Array(0);
  tokOut = new Float64Array(0);
  priority = new Uint8Array(0);
  /** Priority class (index into the compiled scenario's classes). */
  cls = new Uint8Array(0);
  /** Absolute deadline, ms (Infinity when none). */
  deadline = new Float64Array(0);
  state = new Uint8Array(0);
  measured = new Uint8Array(0);
  /** Live copies and calls holding the job. */
  refs = new Int32Array(0);
  /** Cause of the most recent loss of one of its copies. */
  cause = new Uint8Array(0);
  /** Bit s set: some replica of stage s has accepted the message. */
  received = new Int32Array(0);
  /** The parallel group under way: bit b set once its branch b has finished. */
  joined = new Int32Array(0);
  /** Consistent-hash key. */
  key = new Int32Array(0);
  /** Closed-workload client, or -1. */
  client = new Int32Array(0);
  /** Scatter–gather: answers still needed; failures still tolerated. */
  quorumLeft = new Int32Array(0);
  failuresLeft = new Int32Array(0);
  /** First of the job's calls (linked through `CallPool.nextInJob`), or -1. */
  calls = new Int32Array(0);
  /** 1 when the job expects a reply at its origin. */
  reply = new Uint8Array(0);
  /** Role of the first stage when the source names it (traces), or -1 for the entry's `to`. */
  firstRole = new Int32Array(0);
  /** Agent the first stage must reach (a trace naming `role#i`), or -1 to balance. */
  target = new Int32Array(0);
  /**
   * A one-stage request–reply job: the agent its request last set out for
   * from its origin (-1 before), and the hops between them when the path
   * policy found them on the way (UNKNOWN_HOPS otherwise): the first
   * distance of a reply from that agent, which then need not be looked up.
   */
  replyFrom = new Int32Array(0);
  replyHops = new Uint8Array(0);

  private free = new Int32Array(0);
  private freeTop = 0;
  private used = 0;
  /** Jobs currently allocated. */
  live = 0;

  /** Slots ever handed out: every job index is below this. */
  get capacityUsed(): number {
    return this.used;
  }

  constructor(capacity = 1024) {
    this.resize(capacity);
  }

  alloc(): number {
    this.live++;
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.used === this.created.length) this.resize(this.used * 2);
    this.calls[this.used] = -1;
    return this.used++;
  }

  release(j: number): void {
    this.live--;
    this.free[this.freeTop++] = j;
  }

  private resize(cap: number): void {
    this.created = growF64(this.created, cap);
    this.entry = growI32(this.entry, cap);
    this.origin = growI32(this.origin, cap);
    this.seq = growI32(this.seq, cap);
    this.bytes = growF64(this.bytes, cap);
    this.tokIn = growF64(this.tokIn, cap);
    this.tokOut = growF64(this.tokOut, cap);
    this.priority = growU8(this.priority, cap);
    this.cls = growU8(this.cls, cap);
    this.deadline = growF64(this.deadline, cap);
    this.state = growU8(this.state, cap);
    this.measured = growU8(this.measured, cap);
    this.refs = growI32(this.refs, cap);
    this.cause = growU8(this.cause, cap);
    this.received = growI32(this.received, cap);
    this.joined = growI32(this.joined, cap);
    this.key = growI32(this.key, cap);
    this.client = growI32(this.client, cap);
    this.quorumLeft = growI32(this.quorumLeft, cap);
    this.failuresLeft = growI32(this.failuresLeft, cap);
    this.calls = growI32(this.calls, cap);
    this.reply = growU8(this.reply, cap);
    this.firstRole = growI32(this.firstRole, cap);
    this.target = growI32(this.target, cap);
    this.replyFrom = growI32(this.replyFrom, cap);
    this.replyHops = growU8(this.replyHops, cap);
    this.free = growI32(this.free, cap);
  }
}

/** `CopyPool.hopsLeft`: not known. */
export const UNKNOWN_HOPS = 0xff;

/** A copy: one message on a link or at an agent (request, reply, ack, nack). */
export class CopyPool {
  job = new Int32Array(0);
  type = new Uint8Array(0);
  flags = new Uint8Array(0);
  stage = new Int32Array(0);
  attempt = new Int32Array(0);
  /** Call this copy answers to (its hop's call, or the end-to-end call), or -1. */
  call = new Int32Array(0);
  /** The job's end-to-end call, carried through hand-offs to the last stage, or -1. */
  root = new Int32Array(0);
  /** Sender of this hop (-1 external) and final destination agent. */
  src = new Int32Array(0);
  dst = new Int32Array(0);
  /** Agent the copy is at (or travelling to). */
  at = new Int32Array(0);
  /** Bytes on the wire (after compression). */
  bytes = new Float64Array(0);
  /** Nack: the cause of the rejection. */
  cause = new Uint8Array(0);
  /** Next copy in an agent's queue or a link's batch (-1 = end). */
  next = new Int32Array(0);
  /** When the copy was dispatched to `dst` (latency feedback for balancers). */
  sentAt = new Float64Array(0);
  /** Remaining hops before it is dropped (loop guard for detours). */
  ttl = new Uint8Array(0);
  /**
   * Hops left to its current target when the path policy said (a shortest
   * path loses one a hop: the next agent need not find it again), else
   * UNKNOWN_HOPS.
   */
  hopsLeft = new Uint8Array(0);
  /** An agent to pass through first (a redundant copy's disjoint path), or -1. */
  via = new Int32Array(0);
  /** When the destination admitted it (concurrency limiters' round-trip time), ms. */
  admittedAt = new Float64Array(0);
  /**
   * Which execution of the message this is: the sub-request index of a
   * scatter–gather (0 otherwise), + 128 for a hedge. Part of the key of its
   * service demand, so parallel executions draw independent work.
   */
  part = new Uint8Array(0);
  /** Worker slot while in service, else -1. */
  slot = new Int32Array(0);
  /** Generation: bumped on release so stale events can be told apart. */
  gen = new Int32Array(0);

  private free = new Int32Array(0);
  private freeTop = 0;
  private used = 0;
  live = 0;

  constructor(capacity = 1024) {
    this.resize(capacity);
  }

  alloc(): number {
    this.live++;
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.used === this.job.length) this.resize(this.used * 2);
    return this.used++;
  }

  release(m: number): void {
    this.live--;
    this.gen[m] = (this.gen[m]! + 1) | 0;
    this.free[this.freeTop++] = m;
  }

  private resize(cap: number): void {
    this.job = growI32(this.job, cap);
    this.type = growU8(this.type, cap);
    this.flags = growU8(this.flags, cap);
    this.stage = growI32(this.stage, cap);
    this.attempt = growI32(this.attempt, cap);
    this.call = growI32(this.call, cap);
    this.root = growI32(this.root, cap);
    this.src = growI32(this.src, cap);
    this.dst = growI32(this.dst, cap);
    this.at = growI32(this.at, cap);
    this.bytes = growF64(this.bytes, cap);
    this.cause = growU8(this.cause, cap);
    this.next = growI32(this.next, cap);
    this.sentAt = growF64(this.sentAt, cap);
    this.ttl = growU8(this.ttl, cap);
    this.hopsLeft = growU8(this.hopsLeft, cap);
    this.via = growI32(this.via, cap);
    this.admittedAt = growF64(this.admittedAt, cap);
    this.part = growU8(this.part, cap);
    this.slot = growI32(this.slot, cap);
    this.gen = growI32(this.gen, cap);
    this.free = growI32(this.free, cap);
  }
}

/** A call: a sender waiting for an answer (a reply, or an ack), with retries. */
export class CallPool {
  job = new Int32Array(0);
  kind = new Uint8Array(0);
  state = new Uint8Array(0);
  /** Caller agent, or -1 for external. */
  caller = new Int32Array(0);
  stage = new Int32Array(0);
  /** Replica picked by the current attempt. */
  callee = new Int32Array(0);
  attempt = new Int32Array(0);
  /** Token carried by timers; bumped when an attempt ends. */
  token = new Int32Array(0);
  /** Start of the current attempt, ms. */
  startedAt = new Float64Array(0);
  /** Last backoff sleep, ms (decorrelated jitter). */
  sleep = new Float64Array(0);
  hedged = new Uint8Array(0);
  /** Breaker half-open probe taken by the current attempt (1) or not (0). */
  probe = new Uint8Array(0);
  /**
   * Agent whose `outstanding` count a lost copy of the current attempt still
   * holds (the caller cannot know the copy is gone until the attempt ends), or -1.
   */
  held = new Int32Array(0);
  /** The end-to-end call of the job (itself for an end-to-end call), or -1. */
  root = new Int32Array(0);
  /** Next call of the same job, or -1. */
  nextInJob = new Int32Array(0);
  /** Replica the first attempt must go to (scatter–gather, traces), or -1 to balance. */
  target = new Int32Array(0);
  /** Scatter–gather sub-request index carried by its copies (see CopyPool.part). */
  part = new Uint8Array(0);

  private free = new Int32Array(0);
  private freeTop = 0;
  private used = 0;
  live = 0;

  constructor(capacity = 256) {
    this.resize(capacity);
  }

  alloc(): number {
    this.live++;
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.used === this.job.length) this.resize(this.used * 2);
    return this.used++;
  }

  release(c: number): void {
    this.live--;
    this.token[c] = (this.token[c]! + 1) | 0;
    this.free[this.freeTop++] = c;
  }

  private resize(cap: number): void {
    this.job = growI32(this.job, cap);
    this.kind = growU8(this.kind, cap);
    this.state = growU8(this.state, cap);
    this.caller = growI32(this.caller, cap);
    this.stage = growI32(this.stage, cap);
    this.callee = growI32(this.callee, cap);
    this.attempt = growI32(this.attempt, cap);
    this.token = growI32(this.token, cap);
    this.startedAt = growF64(this.startedAt, cap);
    this.sleep = growF64(this.sleep, cap);
    this.hedged = growU8(this.hedged, cap);
    this.probe = growU8(this.probe, cap);
    this.held = growI32(this.held, cap);
    this.root = growI32(this.root, cap);
    this.nextInJob = growI32(this.nextInJob, cap);
    this.target = growI32(this.target, cap);
    this.part = growU8(this.part, cap);
    this.free = growI32(this.free, cap);
  }
}
