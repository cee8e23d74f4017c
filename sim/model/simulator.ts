import { EventQueue } from '../engine/event-queue.js';
import { KeyedUniform, Purpose, Stream, mix32 } from '../engine/rng.js';
import type { EventHandler } from '../engine/run.js';
import { createBalancer, type Balancer, type BalancerView } from '../policies/balancers/index.js';
import { createPathPolicy, type PathPolicy, type PathView } from '../policies/paths/index.js';
import { Breakers } from '../policies/breaker.js';
import { OutlierDetector } from '../policies/outlier.js';
import { RetryBudget, backoffMs } from '../policies/retry.js';
import { pickVictims } from '../faults/victims.js';
import type { CrashFault, SlowFault } from '../scenario/types.js';
import { createSource, type Source } from '../workload/sources.js';
import { AgentQueues } from './agents.js';
import type { CompiledScenario, CompiledRole } from './compile.js';
import { Counters, type RawRun } from '../metrics/counters.js';
import { CallKind, CallState, Cause, Ev, Flag, JobState, LEVELS, Msg } from './kinds.js';
import type { Policies } from './policies.js';
import { CallPool, CopyPool, JobPool } from './pools.js';

/** Size of acks and error answers, bytes. */
const ANSWER_BYTES = 64;
/** Hops a message may take before it is dropped; detours spend it. */
const MAX_HOPS = 64;
/**
 * How long an agent takes to notice that an adjacent link or neighbour went
 * down (three missed 100 ms hellos, as BFD-style liveness detection does).
 * Only `adaptive` paths act on it.
 */
const DETECT_DOWN_MS = 300;
/** Decay time of the peak-EWMA latency estimate (Finagle's default), ms. */
const EWMA_DECAY_MS = 10_000;
/** Copy flag (internal): counted in `outstanding` of its destination. */
const OUTSTANDING = 64;

/**
 * One run of the mesh model: agents with worker slots and buffers, links,
 * messages with calls, retries, breakers and faults. The event handlers are the
 * methods below, dispatched by `handle` on the event kind. All state lives in
 * typed arrays and pools; the hot path allocates nothing.
 *
 * Vocabulary: a *job* is a logical message of the workload; a *copy* is one
 * message on a link or at an agent (request, reply, ack, error answer); a
 * *call* is a sender waiting for an answer — end-to-end for request–reply
 * jobs, or per hop when delivery needs acknowledgements — and owns the per-try
 * timeout, retries and hedging.
 */
export class Simulator implements EventHandler {
  private readonly q = new EventQueue(4096);
  private readonly jobs = new JobPool(4096);
  private readonly copies = new CopyPool(4096);
  private readonly calls = new CallPool(1024);
  private readonly agents: AgentQueues;
  readonly counters: Counters;

  private readonly n: number;
  private readonly roleOf: Int32Array;
  private readonly roles: CompiledRole[];
  private readonly warmupMs: number;
  private readonly durationMs: number;
  private readonly drainMs: number;

  // Balancing and routing state, visible to the policies through their views.
  private readonly outstanding: Int32Array;
  private readonly roleOutstanding: Int32Array;
  private readonly latencyEwma: Float64Array;
  private readonly latencyAt: Float64Array;
  private readonly balancer: Balancer;
  private readonly path: PathPolicy;
  private readonly breakers: Breakers | null;
  private readonly outlier: OutlierDetector | null;
  private readonly budget: RetryBudget | null;
  private readonly linkBusyUntil: Map<number, number> | null;

  // Faults.
  private readonly downCount: Int32Array;
  private readonly downSince: Float64Array;
  private readonly slowFactor: Float64Array;
  /** Active partitions between role pairs (roles × roles) and since when. */
  private readonly cut: Int32Array;
  private readonly cutSince: Float64Array;
  private extraLoss = 0;
  private latencyFactor = 1;
  private readonly victims: Array<Int32Array | null>;

  // Random sources, one per purpose.
  private readonly rngRouting: Stream;
  private readonly rngLinks: Stream;
  private readonly rngRetry: Stream;
  private readonly rngFaults: Stream;
  private readonly rngRelay: Stream;
  private readonly rngOrigin: Stream;
  private readonly svc: KeyedUniform;
  private readonly msg: KeyedUniform;

  private readonly sources: Source[];
  /** Per-level shedding thresholds, in waiting messages. */
  private readonly shedAt: Float64Array;
  private readonly acked: boolean;
  private readonly dedup: boolean;

  private now = 0;
  private activeJobs = 0;
  private events = 0;

  constructor(
    private readonly model: CompiledScenario,
    private readonly p: Policies,
    seed: number,
  ) {
    const sc = model.scenario;
    this.n = model.n;
    this.roleOf = model.roleOf;
    this.roles = model.roles;
    this.warmupMs = sc.warmup;
    this.durationMs = sc.duration;
    this.drainMs = sc.drain;
    this.counters = new Counters(model.roles.length);
    this.agents = new AgentQueues(this.n, model.slotBase, this.copies, p.bufferPolicy === 'priority');

    this.outstanding = new Int32Array(this.n);
    this.roleOutstanding = new Int32Array(model.roles.length);
    this.latencyEwma = new Float64Array(this.n);
    this.latencyAt = new Float64Array(this.n);
    const balancerView: BalancerView = {
      outstanding: this.outstanding,
      roleOutstanding: this.roleOutstanding,
      latencyMs: this.latencyEwma,
      eligible: (a) => this.eligible(a),
    };
    const ranges = model.roles.map((r) => ({ first: r.first, count: r.count }));
    this.balancer = createBalancer(p.balancer, ranges, balancerView, this.n + 1);
    const pathView: PathView = {
      knownDown: (at, next) => this.knownDown(at, next),
      load: (a) => this.agents.busy[a]! + this.agents.waiting[a]!,
    };
    this.path = createPathPolicy(p.path, model.topology, model.paths, pathView);
    this.breakers = p.breaker ? new Breakers(this.n, p.breaker) : null;
    this.outlier = p.outlier
      ? new OutlierDetector(this.n, model.roleFirst, model.roleCount, model.roleOf, p.outlier)
      : null;
    this.budget = Number.isFinite(p.retryBudget) ? new RetryBudget(this.n + 1, p.retryBudget) : null;
    this.linkBusyUntil = Number.isFinite(model.bandwidth) ? new Map() : null;

    this.downCount = new Int32Array(this.n);
    this.downSince = new Float64Array(this.n);
    this.slowFactor = new Float64Array(this.n).fill(1);
    const R = model.roles.length;
    this.cut = new Int32Array(R * R);
    this.cutSince = new Float64Array(R * R);
    this.victims = sc.faults.map(() => null);

    this.rngRouting = new Stream(seed, Purpose.routing);
    this.rngLinks = new Stream(seed, Purpose.links);
    this.rngRetry = new Stream(seed, Purpose.retry);
    this.rngFaults = new Stream(seed, Purpose.faults);
    this.rngRelay = new Stream(seed, Purpose.relay);
    this.rngOrigin = new Stream(seed, Purpose.origin);
    this.svc = new KeyedUniform(seed, Purpose.service);
    this.msg = new KeyedUniform(seed, Purpose.message);

    this.acked = p.delivery !== 'at-most-once';
    this.dedup = p.delivery === 'exactly-once';
    this.shedAt = new Float64Array(LEVELS);
    for (let l = 0; l < LEVELS; l++) {
      // Priority l is shed once the buffer is fuller than its threshold; the
      // lowest priority goes first at `shedAbove`, the highest only when full.
      this.shedAt[l] = (p.shedAbove + ((1 - p.shedAbove) * l) / LEVELS) * p.bufferCapacity;
    }

    this.sources = model.entries.map((e) => createSource(e.spec, e.index, sc.duration, seed, Ev.Source));
  }

  // ---------------------------------------------------------------- run loop

  run(): RawRun {
    const q = this.q;
    this.sources.forEach((s, i) => s.init(i, q));
    this.scheduleFaults();

    const end = this.durationMs + this.drainMs;
    let events = 0;
    // Main phase: until the sources stop.
    while (q.size > 0 && q.peekTime() <= this.durationMs) {
      q.pop();
      this.handle(q.kind, q.a, q.b, q.time);
      events++;
    }
    // Drain: until every message has completed or been lost, or `drain` ends.
    while (this.activeJobs > 0 && q.size > 0 && q.peekTime() <= end) {
      q.pop();
      this.handle(q.kind, q.a, q.b, q.time);
      events++;
    }
    this.events = events;
    const endMs = Math.min(this.now, end);
    this.finishUnfinished();
    return {
      counters: this.counters,
      events: this.events,
      endMs,
      breakerOpens: this.breakers?.opens ?? 0,
      ejections: this.outlier?.ejections ?? 0,
    };
  }

  handle(kind: number, a: number, b: number, timeMs: number): void {
    this.now = timeMs;
    switch (kind) {
      case Ev.Source:
        this.onSource(a, b);
        break;
      case Ev.Arrive:
        if (this.copies.gen[a] === b) this.onArrive(a);
        break;
      case Ev.Done:
        if (this.copies.gen[a] === b) this.onDone(a);
        break;
      case Ev.Timeout:
        if (this.calls.token[a] === b && this.calls.state[a] === CallState.Active) this.callFailed(a, Cause.Timeout);
        break;
      case Ev.Hedge:
        if (this.calls.token[a] === b && this.calls.state[a] === CallState.Active) this.onHedge(a);
        break;
      case Ev.Retry:
        if (this.calls.token[a] === b && this.calls.state[a] === CallState.Active) this.attempt(a);
        break;
      case Ev.Fault:
        this.onFault(a, b);
        break;
    }
  }

  // ----------------------------------------------------------------- sources

  private onSource(index: number, client: number): void {
    const src = this.sources[index]!;
    const entry = this.model.entries[index]!;
    let origin = -1;
    if (entry.fromRole >= 0) {
      const r = this.roles[entry.fromRole]!;
      origin = r.first + this.rngOrigin.int(r.count);
    }
    // A crashed agent sends nothing; its traffic is not generated.
    if (origin < 0 || this.downCount[origin] === 0) this.createJob(index, origin, client);
    else if (client >= 0) src.reschedule(index, client, this.now, this.q);
    if (client < 0) src.scheduleNext(index, this.now, this.q);
  }

  private createJob(index: number, origin: number, client: number): void {
    const src = this.sources[index]!;
    const e = this.model.entries[index]!;
    const jobs = this.jobs;
    const j = jobs.alloc();
    const seq = src.seq++;
    const now = this.now;
    const measured = now >= this.warmupMs;
    jobs.created[j] = now;
    jobs.entry[j] = e.index;
    jobs.origin[j] = origin;
    jobs.seq[j] = seq;
    const k2 = e.index << 16;
    jobs.bytes[j] = src.bytes >= 0 ? src.bytes : e.size.sample(this.msg.at(seq, k2));
    jobs.tokIn[j] = src.tokIn;
    jobs.tokOut[j] = src.tokOut;
    jobs.priority[j] = src.priority;
    jobs.deadline[j] = now + this.p.overallMs;
    jobs.state[j] = JobState.Active;
    jobs.measured[j] = measured ? 1 : 0;
    // The creator holds a reference while it starts the job, so that a copy
    // rejected on the spot cannot free the job under its feet.
    jobs.refs[j] = 1;
    jobs.cause[j] = Cause.None;
    jobs.received[j] = 0;
    jobs.key[j] = Math.floor(this.msg.at(seq, k2 | 1).next() * e.spec.keys);
    jobs.client[j] = client;
    if (measured) this.counters.generated++;
    this.activeJobs++;
    this.startStage(j, origin, 0, -1);
    this.dropRef(j);
  }

  // ------------------------------------------------------------------ stages

  /** Sends job `j` from agent `from` (-1 external) to a replica of stage `s`. */
  private startStage(j: number, from: number, s: number, root: number): void {
    const entry = this.model.entries[this.jobs.entry[j]!]!;
    if (s === 0 && entry.replySize !== null) {
      const c = this.newCall(j, CallKind.EndToEnd, from, s, -1);
      this.calls.root[c] = c;
      this.attempt(c);
    } else if (this.acked) {
      this.attempt(this.newCall(j, CallKind.Hop, from, s, root));
    } else {
      const dst = this.pick(entry.stages[s]!, from, j);
      if (dst < 0) {
        this.jobs.cause[j] = Cause.Breaker;
        return;
      }
      const m = this.newRequest(j, from, dst, s, -1, root, 0, 0);
      this.dispatch(m, from);
    }
  }

  private pick(role: number, from: number, j: number): number {
    return this.balancer.pick(role, from + 1, this.jobs.key[j]!, this.rngRouting);
  }

  private newRequest(
    j: number,
    from: number,
    dst: number,
    stage: number,
    call: number,
    root: number,
    attempt: number,
    flags: number,
  ): number {
    const cp = this.copies;
    const m = cp.alloc();
    cp.job[m] = j;
    cp.type[m] = Msg.Request;
    cp.flags[m] = flags | OUTSTANDING;
    cp.stage[m] = stage;
    cp.attempt[m] = attempt;
    cp.call[m] = call;
    cp.root[m] = root;
    cp.src[m] = from;
    cp.dst[m] = dst;
    cp.at[m] = from;
    cp.bytes[m] = this.jobs.bytes[j]!;
    cp.sentAt[m] = this.now;
    cp.ttl[m] = MAX_HOPS;
    cp.slot[m] = -1;
    this.jobs.refs[j]!++;
    this.outstanding[dst]!++;
    this.roleOutstanding[this.roleOf[dst]!]!++;
    if (this.jobs.measured[j] === 1) this.counters.sent++;
    return m;
  }

  /** Puts a new copy on its way: straight in from outside, else over links. */
  private dispatch(m: number, from: number): void {
    if (from < 0) {
      // External traffic enters its first role directly, with no link (SPEC §4).
      this.copies.at[m] = this.copies.dst[m]!;
      this.onArrive(m);
    } else if (from === this.copies.dst[m]) {
      this.copies.at[m] = from;
      this.q.schedule(this.now, Ev.Arrive, m, this.copies.gen[m]!);
    } else {
      this.forward(m, from);
    }
  }

  // ------------------------------------------------------------------- links

  /** Sends copy `m`, now at agent `at`, one hop towards its destination. */
  private forward(m: number, at: number): void {
    const cp = this.copies;
    const j = cp.job[m]!;
    const dst = cp.dst[m]!;
    const next = this.path.next(at, dst, mix32(this.jobs.seq[j]! ^ (this.jobs.entry[j]! << 24)), this.rngRouting);
    if (next < 0) return this.loseCopy(m, Cause.Link);
    if (this.path.detour && --cp.ttl[m]! === 0) return this.loseCopy(m, Cause.Link);
    const measured = this.jobs.measured[j] === 1;
    const bytes = cp.bytes[m]!;
    if (measured) {
      this.counters.transmissions++;
      this.counters.wireBytes += bytes;
    }
    const R = this.roles.length;
    if (this.cut[this.roleOf[at]! * R + this.roleOf[next]!]! > 0) return this.loseCopy(m, Cause.Link);
    if (this.model.loss + this.extraLoss > 0 && this.rngLinks.next() < this.model.loss + this.extraLoss) {
      return this.loseCopy(m, Cause.Link);
    }
    let depart = this.now;
    if (this.linkBusyUntil !== null) {
      // The link serialises: a transmission waits for the one before it.
      const e = this.path.edge;
      const free = this.linkBusyUntil.get(e) ?? 0;
      depart = (free > depart ? free : depart) + (bytes / this.model.bandwidth) * 1000;
      this.linkBusyUntil.set(e, depart);
    }
    const latency = this.model.latency.isConstant
      ? this.model.latency.mean
      : this.model.latency.sample(this.rngLinks);
    cp.at[m] = next;
    this.q.schedule(depart + latency * this.latencyFactor, Ev.Arrive, m, cp.gen[m]!);
  }

  private knownDown(at: number, next: number): boolean {
    if (this.downCount[next]! > 0 && this.now - this.downSince[next]! >= DETECT_DOWN_MS) return true;
    const R = this.roles.length;
    const k = this.roleOf[at]! * R + this.roleOf[next]!;
    return this.cut[k]! > 0 && this.now - this.cutSince[k]! >= DETECT_DOWN_MS;
  }

  // ---------------------------------------------------------------- arrivals

  private onArrive(m: number): void {
    const cp = this.copies;
    const a = cp.at[m]!;
    if (this.downCount[a]! > 0) return this.loseCopy(m, Cause.Crash);
    if (a !== cp.dst[m]) {
      if (this.roles[this.roleOf[a]!]!.relayCosts) {
        cp.flags[m]! |= Flag.Relay;
        const cause = this.admit(m, a);
        if (cause > 0) this.reject(m, cause);
      } else {
        this.forward(m, a);
      }
      return;
    }
    switch (cp.type[m]) {
      case Msg.Request:
        this.onRequest(m, a);
        break;
      case Msg.Reply:
        this.onReply(cp.call[m]!);
        this.releaseCopy(m);
        break;
      case Msg.Ack:
        this.onAck(cp.call[m]!);
        this.releaseCopy(m);
        break;
      case Msg.Nack:
        this.onNack(cp.call[m]!, cp.attempt[m]!, cp.cause[m]!);
        this.releaseCopy(m);
        break;
    }
  }

  private onRequest(m: number, a: number): void {
    const cp = this.copies;
    const jobs = this.jobs;
    const j = cp.job[m]!;
    if (this.now > jobs.deadline[j]!) return this.loseCopy(m, Cause.Timeout);
    const bit = 1 << cp.stage[m]!;
    if ((jobs.received[j]! & bit) !== 0) {
      if ((cp.flags[m]! & Flag.Redundant) !== 0) {
        if (jobs.measured[j] === 1) this.counters.redundantDiscarded++;
        return this.releaseCopy(m);
      }
      if (this.dedup) {
        // Exactly-once: the receiver remembers the message and acks the repeat.
        if (jobs.measured[j] === 1) this.counters.duplicates++;
        this.ackHop(m, a);
        return this.releaseCopy(m);
      }
    }
    const cause = this.admit(m, a);
    if (cause > 0) return this.reject(m, cause);
    if (cause === 0) this.accepted(m, a);
  }

  /** The receiver took the copy in (served, queued, or let in after backpressure). */
  private accepted(m: number, a: number): void {
    this.jobs.received[this.copies.job[m]!]! |= 1 << this.copies.stage[m]!;
    this.ackHop(m, a);
  }

  /**
   * Admission at agent `a`: 0 = accepted (in service or waiting), -1 = held
   * back by backpressure, > 0 = rejected with that cause.
   */
  private admit(m: number, a: number): number {
    const ag = this.agents;
    const level = this.jobs.priority[this.copies.job[m]!]!;
    const waiting = ag.waiting[a]!;
    const limit = this.p.concurrency;
    if (typeof limit === 'number' && ag.busy[a]! + waiting >= limit) return Cause.Shed;
    if (waiting >= this.shedAt[level]!) return Cause.Shed;
    if (ag.busy[a]! < ag.workers[a]!) {
      this.startService(m, a);
      return 0;
    }
    if (waiting < this.p.bufferCapacity) {
      ag.enqueue(a, m, level);
      return 0;
    }
    switch (this.p.bufferPolicy) {
      case 'drop-tail':
        return Cause.Overflow;
      case 'drop-head': {
        const victim = ag.removeOldest(a, 0);
        if (victim >= 0) this.reject(victim, Cause.Overflow);
        ag.enqueue(a, m, level);
        return 0;
      }
      case 'priority': {
        const low = ag.lowestLevel(a);
        if (low < 0 || low >= level) return Cause.Overflow;
        this.reject(ag.removeOldest(a, low), Cause.Overflow);
        ag.enqueue(a, m, level);
        return 0;
      }
      case 'backpressure':
        ag.park(a, m);
        return -1;
    }
  }

  /** A request refused at its destination: tell the waiting caller, then drop it. */
  private reject(m: number, cause: number): void {
    const cp = this.copies;
    if (cp.type[m] === Msg.Request && (cp.flags[m]! & Flag.Relay) === 0) {
      const c = cp.call[m]! >= 0 ? cp.call[m]! : cp.root[m]!;
      if (c >= 0) this.answer(Msg.Nack, c, cp.at[m]!, cp.attempt[m]!, cause, ANSWER_BYTES);
    }
    this.loseCopy(m, cause);
  }

  /** Acknowledges an accepted hop when its sender waits for an ack. */
  private ackHop(m: number, a: number): void {
    const c = this.copies.call[m]!;
    if (c >= 0 && this.calls.kind[c] === CallKind.Hop) {
      this.answer(Msg.Ack, c, a, this.copies.attempt[m]!, Cause.None, ANSWER_BYTES);
    }
  }

  // ----------------------------------------------------------------- service

  private startService(m: number, a: number): void {
    const cp = this.copies;
    const slot = this.agents.takeSlot(a, m, this.now);
    cp.slot[m] = slot;
    const role = this.roles[this.roleOf[a]!]!;
    let t: number;
    if ((cp.flags[m]! & Flag.Relay) !== 0) t = role.relay.sample(this.rngRelay);
    else t = this.serviceTime(m, role);
    t *= this.slowFactor[a]!;
    this.q.schedule(this.now + t, Ev.Done, m, cp.gen[m]!);
  }

  /**
   * Service demand of a request at `role`. Drawn from a counter-based source
   * keyed by (message, stage, attempt): a message needs the same work whatever
   * configuration routes it, which keeps comparisons between candidates fair.
   */
  private serviceTime(m: number, role: CompiledRole): number {
    const cp = this.copies;
    const jobs = this.jobs;
    const j = cp.job[m]!;
    const seq = jobs.seq[j]!;
    const stage = cp.stage[m]!;
    const entry = jobs.entry[j]!;
    let tin = 0;
    let tout = 0;
    const llm = role.tokenService !== null || role.tokensIn !== null;
    if (llm) {
      tin = jobs.tokIn[j]!;
      tout = jobs.tokOut[j]!;
      if (tin < 0 || tout < 0) {
        const u = this.msg.at(seq, (entry << 16) | (stage << 8) | 3);
        tin = role.tokensIn ? Math.round(role.tokensIn.sample(u)) : 0;
        tout = role.tokensOut ? Math.round(role.tokensOut.sample(u)) : 0;
      }
      if (jobs.measured[j] === 1) {
        this.counters.tokensIn += tin;
        this.counters.tokensOut += tout;
      }
    }
    const ts = role.tokenService;
    if (ts !== null) return ts.base + tin * ts.perIn + tout * ts.perOut;
    return role.service!.sample(this.svc.at(seq, (entry << 16) | (stage << 8) | (cp.attempt[m]! & 0xff)));
  }

  private onDone(m: number): void {
    const cp = this.copies;
    const a = cp.at[m]!;
    this.endService(m, a);
    if ((cp.flags[m]! & Flag.Relay) !== 0) {
      cp.flags[m]! &= ~Flag.Relay;
      this.forward(m, a);
    } else {
      this.observeLatency(a, this.now - cp.sentAt[m]!);
      this.finishStage(m, a);
    }
    this.serveNext(a);
  }

  /** Frees the worker slot of `m` and books its busy time. */
  private endService(m: number, a: number): void {
    const slot = this.copies.slot[m]!;
    const start = this.agents.slotStart[slot]!;
    this.agents.releaseSlot(a, slot);
    this.copies.slot[m] = -1;
    if (this.jobs.measured[this.copies.job[m]!] === 1) this.counters.cpuMs += this.now - start;
    // Utilisation counts the part of the service inside [warmup, duration].
    const lo = start > this.warmupMs ? start : this.warmupMs;
    const hi = this.now < this.durationMs ? this.now : this.durationMs;
    if (hi > lo) this.counters.busyMs[this.roleOf[a]!]! += hi - lo;
  }

  /** Starts the next waiting copy, then lets in a sender held back, if any. */
  private serveNext(a: number): void {
    const ag = this.agents;
    if (this.downCount[a]! > 0) return;
    while (ag.busy[a]! < ag.workers[a]!) {
      const m = ag.dequeue(a);
      if (m < 0) break;
      const j = this.copies.job[m]!;
      // A message whose deadline passed while it waited is dropped, not served.
      if (this.now > this.jobs.deadline[j]! && (this.copies.flags[m]! & Flag.Relay) === 0) {
        this.loseCopy(m, Cause.Timeout);
        continue;
      }
      this.startService(m, a);
    }
    while (ag.parked[a]! > 0 && ag.waiting[a]! < this.p.bufferCapacity) {
      const m = ag.unpark(a);
      const cause = this.admit(m, a);
      if (cause > 0) this.reject(m, cause);
      else if (cause === 0 && (this.copies.flags[m]! & Flag.Relay) === 0) this.accepted(m, a);
    }
  }

  /** Peak-EWMA: jump to a slower observation, decay towards faster ones. */
  private observeLatency(a: number, ms: number): void {
    const prev = this.latencyEwma[a]!;
    if (ms >= prev) {
      this.latencyEwma[a] = ms;
    } else {
      const w = Math.exp(-(this.now - this.latencyAt[a]!) / EWMA_DECAY_MS);
      this.latencyEwma[a] = prev * w + ms * (1 - w);
    }
    this.latencyAt[a] = this.now;
  }

  private finishStage(m: number, a: number): void {
    const cp = this.copies;
    const j = cp.job[m]!;
    const s = cp.stage[m]!;
    const entry = this.model.entries[this.jobs.entry[j]!]!;
    this.clearOutstanding(m);
    if (s + 1 < entry.stages.length) {
      this.startStage(j, a, s + 1, cp.root[m]!);
      return this.releaseCopy(m);
    }
    if (entry.replySize === null) {
      this.completeJob(j);
      return this.releaseCopy(m);
    }
    // Request–reply: the last stage answers the end-to-end caller directly.
    const root = cp.root[m]!;
    const size = entry.replySize.sample(this.msg.at(this.jobs.seq[j]!, (entry.index << 16) | 2));
    this.answer(Msg.Reply, root, a, cp.attempt[m]!, Cause.None, size);
    this.releaseCopy(m);
  }

  // ------------------------------------------------------------------- calls

  private newCall(j: number, kind: number, caller: number, stage: number, root: number): number {
    const cl = this.calls;
    const c = cl.alloc();
    cl.job[c] = j;
    cl.kind[c] = kind;
    cl.state[c] = CallState.Active;
    cl.caller[c] = caller;
    cl.stage[c] = stage;
    cl.root[c] = root;
    cl.callee[c] = -1;
    cl.attempt[c] = 0;
    cl.sleep[c] = 0;
    cl.hedged[c] = 0;
    cl.probe[c] = 0;
    // Calls live as long as their job, so late answers always find them.
    cl.nextInJob[c] = this.jobs.calls[j]!;
    this.jobs.calls[j] = c;
    this.jobs.refs[j]!++;
    this.budget?.deposit(caller + 1);
    return c;
  }

  /** Sends the current attempt of call `c`. */
  private attempt(c: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    const caller = cl.caller[c]!;
    const token = ++cl.token[c]!;
    cl.startedAt[c] = this.now;
    cl.hedged[c] = 0;
    if (caller >= 0 && this.downCount[caller]! > 0) return this.giveUp(c, Cause.Crash);
    const entry = this.model.entries[this.jobs.entry[j]!]!;
    const dst = this.pick(entry.stages[cl.stage[c]!]!, caller, j);
    if (dst < 0) return this.callFailed(c, Cause.Breaker);
    cl.callee[c] = dst;
    cl.probe[c] = this.breakers !== null && this.breakers.onSend(dst) ? 1 : 0;
    const deadline = this.jobs.deadline[j]!;
    const timeoutAt = Math.min(this.now + this.p.perTryMs, deadline);
    if (timeoutAt < Infinity) this.q.schedule(timeoutAt, Ev.Timeout, c, token);
    if (this.p.hedgeAfterMs < Infinity) this.q.schedule(this.now + this.p.hedgeAfterMs, Ev.Hedge, c, token);
    const m = this.newRequest(j, caller, dst, cl.stage[c]!, c, cl.root[c]!, cl.attempt[c]!, 0);
    this.dispatch(m, caller);
  }

  private onHedge(c: number): void {
    const cl = this.calls;
    if (cl.hedged[c] === 1) return;
    cl.hedged[c] = 1;
    const j = cl.job[c]!;
    const caller = cl.caller[c]!;
    if (caller >= 0 && this.downCount[caller]! > 0) return;
    const entry = this.model.entries[this.jobs.entry[j]!]!;
    const dst = this.pick(entry.stages[cl.stage[c]!]!, caller, j);
    if (dst < 0) return;
    if (this.jobs.measured[j] === 1) this.counters.hedges++;
    const m = this.newRequest(j, caller, dst, cl.stage[c]!, c, cl.root[c]!, cl.attempt[c]!, Flag.Hedge);
    this.dispatch(m, caller);
  }

  /** Sends an answer (reply, ack, error) from agent `from` to the caller of `c`. */
  private answer(type: number, c: number, from: number, attempt: number, cause: number, bytes: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    const caller = cl.caller[c]!;
    if (this.jobs.measured[j] === 1) this.counters.sent++;
    if (caller < 0) {
      // The external client is reached without a link.
      if (type === Msg.Reply) this.onReply(c);
      else if (type === Msg.Ack) this.onAck(c);
      else this.onNack(c, attempt, cause);
      return;
    }
    const cp = this.copies;
    const m = cp.alloc();
    cp.job[m] = j;
    cp.type[m] = type;
    cp.flags[m] = 0;
    cp.stage[m] = cl.stage[c]!;
    cp.attempt[m] = attempt;
    cp.call[m] = c;
    cp.root[m] = cl.root[c]!;
    cp.src[m] = from;
    cp.dst[m] = caller;
    cp.at[m] = from;
    cp.bytes[m] = bytes;
    cp.cause[m] = cause;
    cp.sentAt[m] = this.now;
    cp.ttl[m] = MAX_HOPS;
    cp.slot[m] = -1;
    this.jobs.refs[j]!++;
    if (from === caller) this.q.schedule(this.now, Ev.Arrive, m, cp.gen[m]!);
    else this.forward(m, from);
  }

  private onReply(c: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    if (cl.state[c] === CallState.Active) {
      this.completeJob(j);
      this.callSucceeded(c);
    } else if (cl.state[c] === CallState.Done && this.jobs.measured[j] === 1) {
      // A second answer to a call already answered (a hedge, a retry's twin).
      this.counters.duplicates++;
    }
  }

  private onAck(c: number): void {
    if (this.calls.state[c] === CallState.Active) this.callSucceeded(c);
  }

  private onNack(c: number, attempt: number, cause: number): void {
    // An error for an attempt the caller already gave up on is ignored.
    if (this.calls.state[c] === CallState.Active && this.calls.attempt[c] === attempt) this.callFailed(c, cause);
  }

  private callSucceeded(c: number): void {
    const cl = this.calls;
    const callee = cl.callee[c]!;
    this.breakers?.onResult(callee, true, cl.probe[c] === 1, this.now);
    this.outlier?.onResult(callee, true, this.now);
    cl.state[c] = CallState.Done;
    cl.token[c]!++;
    this.dropRef(cl.job[c]!);
  }

  /** An attempt failed: retry within the policy, or give up. */
  private callFailed(c: number, cause: number): void {
    const cl = this.calls;
    const callee = cl.callee[c]!;
    if (callee >= 0 && cause !== Cause.Breaker) {
      this.breakers?.onResult(callee, false, cl.probe[c] === 1, this.now);
      this.outlier?.onResult(callee, false, this.now);
    }
    cl.callee[c] = -1;
    const token = ++cl.token[c]!;
    const j = cl.job[c]!;
    const next = cl.attempt[c]! + 1;
    if (next < this.p.maxAttempts) {
      const sleep = backoffMs(this.p.jitter, next, this.p.backoffBaseMs, this.p.backoffCapMs, cl.sleep[c]!, this.rngRetry);
      const at = this.now + sleep;
      if (at < this.jobs.deadline[j]! && (this.budget === null || this.budget.withdraw(cl.caller[c]! + 1))) {
        cl.attempt[c] = next;
        cl.sleep[c] = sleep;
        if (this.jobs.measured[j] === 1) this.counters.retries++;
        this.q.schedule(at, Ev.Retry, c, token);
        return;
      }
    }
    this.giveUp(c, cause);
  }

  private giveUp(c: number, cause: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    cl.state[c] = CallState.Failed;
    cl.token[c]!++;
    this.jobs.cause[j] = cause;
    // An end-to-end caller that gives up has its answer: the message is lost,
    // whatever its stray copies still do.
    if (cl.kind[c] === CallKind.EndToEnd) this.loseJob(j, cause);
    this.dropRef(j);
  }

  // -------------------------------------------------------------- job fates

  private completeJob(j: number): void {
    const jobs = this.jobs;
    if (jobs.state[j] === JobState.Active) {
      jobs.state[j] = JobState.Done;
      if (jobs.measured[j] === 1) {
        this.counters.delivered++;
        this.counters.latency.record(this.now - jobs.created[j]!);
      }
      this.notifyClient(j);
    } else if (jobs.state[j] === JobState.Done && jobs.measured[j] === 1) {
      this.counters.duplicates++;
    }
  }

  private loseJob(j: number, cause: number): void {
    const jobs = this.jobs;
    if (jobs.state[j] !== JobState.Active) return;
    jobs.state[j] = JobState.Lost;
    if (jobs.measured[j] === 1) this.counters.lost[cause === Cause.None ? Cause.Unfinished : cause]!++;
    this.notifyClient(j);
  }

  /** A closed-workload client has its answer: it thinks, then sends again. */
  private notifyClient(j: number): void {
    const client = this.jobs.client[j]!;
    if (client < 0) return;
    this.jobs.client[j] = -1;
    const index = this.jobs.entry[j]!;
    this.sources[index]!.reschedule(index, client, this.now, this.q);
  }

  private clearOutstanding(m: number): void {
    const cp = this.copies;
    if ((cp.flags[m]! & OUTSTANDING) === 0) return;
    cp.flags[m]! &= ~OUTSTANDING;
    const dst = cp.dst[m]!;
    this.outstanding[dst]!--;
    this.roleOutstanding[this.roleOf[dst]!]!--;
  }

  private loseCopy(m: number, cause: number): void {
    this.jobs.cause[this.copies.job[m]!] = cause;
    this.releaseCopy(m);
  }

  private releaseCopy(m: number): void {
    this.clearOutstanding(m);
    const j = this.copies.job[m]!;
    this.copies.release(m);
    this.dropRef(j);
  }

  private dropRef(j: number): void {
    if (--this.jobs.refs[j]! === 0) this.freeJob(j);
  }

  /** Nothing holds the job any more: settle its fate and recycle it. */
  private freeJob(j: number): void {
    const jobs = this.jobs;
    if (jobs.state[j] === JobState.Active) this.loseJob(j, jobs.cause[j]!);
    let c = jobs.calls[j]!;
    while (c >= 0) {
      const nx = this.calls.nextInJob[c]!;
      this.calls.release(c);
      c = nx;
    }
    jobs.calls[j] = -1;
    jobs.release(j);
    this.activeJobs--;
  }

  /** At the end of the drain: what is still in flight is lost (SPEC §6). */
  private finishUnfinished(): void {
    const jobs = this.jobs;
    for (let j = 0; j < jobs.capacityUsed; j++) {
      if (jobs.state[j] !== JobState.Active || jobs.refs[j]! <= 0) continue;
      // A message one of whose copies was already lost is counted by that cause.
      this.loseJob(j, jobs.cause[j] === Cause.None ? Cause.Unfinished : jobs.cause[j]!);
    }
  }

  // ------------------------------------------------------------- eligibility

  private eligible(a: number): boolean {
    if (this.outlier !== null && this.outlier.isEjected(a, this.now)) return false;
    return this.breakers === null || this.breakers.allows(a, this.now);
  }

  // ------------------------------------------------------------------ faults

  private scheduleFaults(): void {
    const faults = this.model.scenario.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i]!;
      if (f.kind === 'crash' && f.mtbf !== null && f.mttr !== null) {
        // Recurring crashes: each victim alternates Exp(mtbf) up, Exp(mttr) down.
        const victims = this.victimsOf(i, f);
        for (const a of victims) this.q.schedule(this.expMs(f.mtbf), Ev.Fault, i, a * 2);
        continue;
      }
      this.q.schedule(f.at, Ev.Fault, i, -1);
      this.q.schedule(f.at + f.for, Ev.Fault, i, -2);
    }
  }

  private expMs(mean: number): number {
    return -mean * Math.log(1 - this.rngFaults.next());
  }

  private victimsOf(i: number, f: CrashFault | SlowFault): Int32Array {
    let v = this.victims[i];
    if (!v) {
      const r = this.roles[this.roles.findIndex((x) => x.name === f.target)]!;
      v = pickVictims(f, r.first, r.count, this.rngFaults);
      this.victims[i] = v;
    }
    return v;
  }

  /** b = -1 window start, -2 window end; b ≥ 0 recurring crash: agent·2 + (1 = repair). */
  private onFault(i: number, b: number): void {
    const f = this.model.scenario.faults[i]!;
    if (b >= 0) {
      const a = b >> 1;
      if ((b & 1) === 0) {
        this.crash(a);
        this.q.schedule(this.now + this.expMs((f as CrashFault).mttr!), Ev.Fault, i, b | 1);
      } else {
        this.repair(a);
        this.q.schedule(this.now + this.expMs((f as CrashFault).mtbf!), Ev.Fault, i, b & ~1);
      }
      return;
    }
    const start = b === -1;
    switch (f.kind) {
      case 'crash':
        for (const a of this.victimsOf(i, f)) start ? this.crash(a) : this.repair(a);
        break;
      case 'slow':
        for (const a of this.victimsOf(i, f)) this.slowFactor[a]! *= start ? f.factor : 1 / f.factor;
        break;
      case 'partition': {
        const R = this.roles.length;
        const index = (name: string): number => this.roles.findIndex((x) => x.name === name);
        for (const x of f.between[0]) {
          for (const y of f.between[1]) {
            for (const k of [index(x) * R + index(y), index(y) * R + index(x)]) {
              if (start && this.cut[k]!++ === 0) this.cutSince[k] = this.now;
              if (!start) this.cut[k]!--;
            }
          }
        }
        break;
      }
      case 'loss':
        this.extraLoss += start ? f.rate : -f.rate;
        if (!start && Math.abs(this.extraLoss) < 1e-12) this.extraLoss = 0;
        break;
      case 'latency':
        this.latencyFactor *= start ? f.factor : 1 / f.factor;
        break;
    }
  }

  /** Agent `a` goes down: what it holds — waiting and in service — is lost. */
  private crash(a: number): void {
    if (this.downCount[a]!++ > 0) return;
    this.downSince[a] = this.now;
    const ag = this.agents;
    for (let m = ag.dequeue(a); m >= 0; m = ag.dequeue(a)) this.loseCopy(m, Cause.Crash);
    const base = this.model.slotBase[a]!;
    const end = this.model.slotBase[a + 1]!;
    for (let s = base; s < end; s++) {
      const m = ag.slotCopy[s]!;
      if (m < 0) continue;
      this.endService(m, a);
      this.loseCopy(m, Cause.Crash);
    }
  }

  private repair(a: number): void {
    if (--this.downCount[a]! === 0) this.serveNext(a);
  }
}
