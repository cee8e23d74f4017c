import { EventQueue } from '../engine/event-queue.js';
import { KeyedUniform, Purpose, Stream } from '../engine/rng.js';
import * as counters from '../metrics/counters.js';
import { Counters, type RawRun } from '../metrics/counters.js';
import { ReplicaDetail } from '../metrics/replica-detail.js';
import type { SpanRecorder } from '../metrics/spans.js';
import { bucketFor, type Timeline } from '../metrics/timeline.js';
import { createBalancer, type Balancer, type BalancerView } from '../policies/balancers/index.js';
import { Breakers } from '../policies/breaker.js';
import { createLimiter, type ConcurrencyLimiter } from '../policies/limiter.js';
import { OutlierDetector } from '../policies/outlier.js';
import { createPathPolicy, type PathView } from '../policies/paths/index.js';
import { RetryBudget, backoffMs } from '../policies/retry.js';
import { createSource, type Source } from '../workload/sources.js';
import { AgentQueues, Order } from './agents.js';
import type { CompiledRole, CompiledScenario } from './compile.js';
import { FaultDriver } from './faults.js';
import * as kinds from './kinds.js';
import * as flowCodes from './flow.js';
import { Links } from './links.js';
import { MeshState } from './mesh-state.js';
import type { Policies } from './policies.js';
import { CallPool, CopyPool, JobPool, UNKNOWN_HOPS } from './pools.js';
import { Autoscaling, type ScaleEvent } from './scaling.js';
import { DEFAULT_LIMITS, PROGRESS_EVERY, RunLimitExceeded, type RunControl } from './control.js';

// The codes as this module's own constants: V8 folds them into the compiled
// handlers, where a read of an imported binding costs a cell load and a check
// that it was initialised, dozens of times an event.
const { CallKind, CallState, Cause, Ev, Flag, JobState, LEVELS, MEASURED_SHIFT, Msg } = kinds;
const { END, JOIN } = flowCodes;
const { Sum } = counters;

/**
 * Without limits from the caller (a study's worker), a run may hold this many
 * times the default number of messages in flight before it is stopped: a
 * guard against a candidate configuration that floods the mesh, not a limit
 * on purpose.
 */
const GUARD_SLACK = 4;

/**
 * The key of one execution of a message's stage, beside its sequence number,
 * for the draws that belong to it (its service demand, whether it fails):
 * entry, stage, try (6 bits) and part (8 bits, a hedge's flag included).
 */
function executionKey(entry: number, stage: number, tries: number, part: number): number {
  return (entry << 20) | ((stage & 0x3f) << 14) | ((tries & 0x3f) << 8) | part;
}

/** What a run records per replica when asked (see ReplicaDetail). */
export interface ReplicaDetailRequest {
  /** Latency above which a delivered message counts as slow, ms (the p99 SLO). */
  slowMs: number;
}

/** Size of acks and error answers, bytes. */
const ANSWER_BYTES = 64;
/** Reply size of a trace request when the entry names none, bytes. */
const DEFAULT_REPLY_BYTES = 1000;
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
export class Simulator {
  private readonly q = new EventQueue(4096);
  private readonly jobs = new JobPool(4096);
  private readonly copies = new CopyPool(4096);
  private readonly calls = new CallPool(1024);
  private readonly agents: AgentQueues;
  private readonly mesh: MeshState;
  private readonly links: Links;
  private readonly faults: FaultDriver;
  readonly counters: Counters;
  /**
   * Where a message's tallies go, by its `measured` flag: [a sink for the
   * warm-up's messages, `counters`]. Counting is thereby the same code for
   * every message: a branch first taken when the warm-up ends would leave V8
   * without type feedback for it, and every handler compiled during the
   * warm-up would be thrown away (deoptimised) and compiled again then.
   */
  private readonly tallies: readonly [Counters, Counters];
  private readonly timeline: Timeline;
  /** Per-replica, per-bucket tallies; null unless the run asked for them (a capacity plan). */
  private readonly detail: ReplicaDetail | null;

  private readonly roleOf: Int32Array;
  private readonly roles: CompiledRole[];
  private readonly warmupMs: number;
  private readonly durationMs: number;
  private readonly drainMs: number;

  // What balancers observe, and the resilience policies.
  private readonly outstanding: Int32Array;
  private readonly roleOutstanding: Int32Array;
  private readonly latencyEwma: Float64Array;
  private readonly latencyAt: Float64Array;
  /** Only the peak-EWMA balancer reads `latencyEwma`: without it, nothing is tracked. */
  private readonly tracksLatency: boolean;
  /** Per agent: requests it swallowed while down, still counted as outstanding. */
  private readonly swallowed: Int32Array;
  private readonly balancer: Balancer;
  private readonly breakers: Breakers | null;
  private readonly outlier: OutlierDetector | null;
  private readonly budget: RetryBudget | null;
  private readonly limiter: ConcurrencyLimiter | null;
  /** Autoscaling, when some role autoscales; else null and no cost per event. */
  private readonly scaling: Autoscaling | null = null;
  /** Per agent: requests lost on the way and still held by their callers (drains wait for the rest); null without autoscaling. */
  private readonly heldAt: Int32Array | null = null;

  // Random sources, one per purpose.
  private readonly rngRouting: Stream;
  private readonly rngRetry: Stream;
  private readonly rngRelay: Stream;
  private readonly rngOrigin: Stream;
  private readonly svc: KeyedUniform;
  private readonly msg: KeyedUniform;
  /** Whether a service ends in an error (roles with `errors`). */
  private readonly failDraw: KeyedUniform;
  /** Some role has `errors`: without, a service's end draws nothing. */
  private readonly erring: boolean;

  private readonly sources: Source[];
  /** Per-level (per-class, in fair order) shedding thresholds, in waiting messages. */
  private readonly shedAt: Float64Array;
  /** Agents share their slots across priority classes by weight (`config.priority.weights`). */
  private readonly fair: boolean;
  private readonly acked: boolean;
  private readonly dedup: boolean;

  private now = 0;
  /** What `serviceTime` drew, ms. */
  private readonly demand = new Float64Array(1);
  /** A delivered job's latency on its way to the histograms: a double passed to a call V8 does not inline is boxed. */
  private readonly latencyCell = new Float64Array(1);
  private activeJobs = 0;
  /** Whether services book their worker time in the timeline's buckets (`RunControl.timeline`). */
  private booksBusy = true;
  /** The buffer policy is backpressure: agents may hold senders back (`AgentQueues.park`). */
  private readonly parks: boolean;
  /** The mesh has one role: every agent's is 0. */
  private readonly oneRole: boolean;

  constructor(
    private readonly model: CompiledScenario,
    private readonly p: Policies,
    seed: number,
    detail: ReplicaDetailRequest | null = null,
    /** Receives every autoscaling evaluation and replica change, when given. */
    scalingLog: ScaleEvent[] | null = null,
    /** Records the run's spans (`simulate --spans`), when given. */
    private readonly spans: SpanRecorder | null = null,
  ) {
    const sc = model.scenario;
    const n = model.n;
    this.roleOf = model.roleOf;
    this.roles = model.roles;
    this.warmupMs = sc.warmup;
    this.durationMs = sc.duration;
    this.drainMs = sc.drain;
    this.counters = new Counters(model.roles.length, bucketFor(sc.duration), sc.duration + sc.drain, model.classes);
    this.timeline = this.counters.timeline;
    this.tallies = [new Counters(model.roles.length, bucketFor(sc.duration), 0, model.classes), this.counters];
    this.detail = detail === null ? null : new ReplicaDetail(this.timeline.bucketMs, sc.duration + sc.drain, n, detail.slowMs);
    this.fair = p.classWeights !== null && model.classes.length > 0;
    const weights = Float64Array.from(model.classes, (c) => p.classWeights?.[c] ?? 1);
    this.agents = this.fair
      ? new AgentQueues(n, model.slotBase, this.copies, Order.Fair, weights.map((w) => 1 / w))
      : new AgentQueues(n, model.slotBase, this.copies, p.bufferPolicy === 'priority' ? Order.Priority : Order.Fifo);
    this.mesh = new MeshState(n, model.roles.length, model.roleOf);

    this.rngRouting = new Stream(seed, Purpose.routing);
    this.rngRetry = new Stream(seed, Purpose.retry);
    this.rngRelay = new Stream(seed, Purpose.relay);
    this.rngOrigin = new Stream(seed, Purpose.origin);
    this.svc = new KeyedUniform(seed, Purpose.service);
    this.msg = new KeyedUniform(seed, Purpose.message);
    this.failDraw = new KeyedUniform(seed, Purpose.errors);
    this.erring = model.roles.some((r) => r.errors > 0);

    this.outstanding = new Int32Array(n);
    this.roleOutstanding = new Int32Array(model.roles.length);
    this.latencyEwma = new Float64Array(n);
    this.latencyAt = new Float64Array(n);
    this.tracksLatency = p.balancer === 'peak-ewma';
    this.swallowed = new Int32Array(n);
    const autoscaled = model.roles.some((r) => r.autoscaled);
    const balancerView: BalancerView = {
      outstanding: this.outstanding,
      roleOutstanding: this.roleOutstanding,
      latencyMs: (a) => this.weighLatency(a),
      // A replica that is starting, draining or stopped takes no new work.
      eligible: autoscaled ? (a) => this.scaling!.isReady(a) && this.eligible(a) : (a) => this.eligible(a),
    };
    const ranges = model.roles.map((r) => ({ first: r.first, count: r.count }));
    this.balancer = createBalancer(p.balancer, ranges, balancerView, n + 1);
    const pathView: PathView = {
      knownDown: (at, next) => this.mesh.knownDown(at, next, this.now, DETECT_DOWN_MS),
      load: (a) => this.agents.loadAt(a),
    };
    const path = createPathPolicy(p.path, model.topology, model.paths, pathView);
    this.links = new Links(
      model,
      p,
      this.copies,
      this.jobs,
      this.q,
      this.tallies,
      this.mesh,
      path,
      new Stream(seed, Purpose.links),
      new Stream(seed, Purpose.loss),
      this.rngRouting,
      (m, cause) => this.loseCopy(m, cause),
    );
    this.faults = new FaultDriver(sc.faults, model.roles, this.mesh, seed, {
      crash: (a) => this.crash(a),
      repair: (a) => this.repair(a),
      ...(autoscaled ? { running: (a: number) => this.scaling!.isRunning(a) } : {}),
    });
    this.breakers = p.breaker ? new Breakers(n, p.breaker) : null;
    this.outlier = p.outlier
      ? new OutlierDetector(n, model.roleFirst, model.roleCount, model.roleOf, p.outlier)
      : null;
    this.budget = Number.isFinite(p.retryBudget) ? new RetryBudget(n + 1, p.retryBudget) : null;
    this.limiter = p.concurrency === null ? null : createLimiter(p.concurrency, n);

    this.parks = p.bufferPolicy === 'backpressure';
    this.oneRole = model.roles.length === 1;
    this.acked = p.delivery !== 'at-most-once';
    this.dedup = p.delivery === 'exactly-once';
    this.shedAt = new Float64Array(LEVELS);
    for (let l = 0; l < LEVELS; l++) {
      // Priority l is shed once the buffer is fuller than its threshold: the
      // lowest priority goes first at `shedAbove`, the highest only when full.
      this.shedAt[l] = (p.shedAbove + ((1 - p.shedAbove) * l) / LEVELS) * p.bufferCapacity;
    }
    if (this.fair) {
      // In fair order a class's level is its rank by weight: the lightest
      // classes are shed first, at `shedAbove`; equal weights, equal thresholds.
      const k = weights.length;
      weights.forEach((w, c) => {
        const rank = weights.filter((x) => x < w).length;
        this.shedAt[c] = (p.shedAbove + ((1 - p.shedAbove) * rank) / k) * p.bufferCapacity;
      });
    }
    this.sources = model.entries.map((e) => createSource(e.spec, e.index, model, seed, Ev.Source));
    if (autoscaled) {
      this.heldAt = new Int32Array(n);
      this.scaling = new Autoscaling({
        model,
        agents: this.agents,
        mesh: this.mesh,
        outstanding: this.outstanding,
        held: this.heldAt,
        swallowed: this.swallowed,
        timeline: this.timeline,
        ranges,
        balancer: this.balancer,
        settings: p.autoscale,
        warmupMs: sc.warmup,
        durationMs: sc.duration,
        log: scalingLog,
      });
    }
  }

  /** The tallies of job `j`: the run's counters once it is measured, the warm-up's sink before. */
  private tally(j: number): Counters {
    return this.tallies[this.jobs.measured[j]!]!;
  }

  /**
   * The role of agent `a`: 0 without reading `roleOf` when the mesh has one
   * role (a peer overlay's), as each hop's arrival, service and end ask.
   */
  private roleAt(a: number): number {
    return this.oneRole ? 0 : this.roleOf[a]!;
  }

  /** `tally` of the job of copy `m`, from the copy's own flag (`Flag.Measured`). */
  private copyTally(m: number): Counters {
    return this.tallies[(this.copies.flags[m]! >> MEASURED_SHIFT) & 1]!;
  }

  // ---------------------------------------------------------------- run loop

  run(control: RunControl = {}): RawRun {
    const q = this.q;
    this.booksBusy = control.timeline !== false || this.scaling !== null;
    this.sources.forEach((s, i) => s.init(i, q));
    this.faults.schedule(q);
    this.scaling?.start(q);

    const end = this.durationMs + this.drainMs;
    const maxEvents = control.limits?.maxEvents ?? Infinity;
    const maxPending = control.limits?.maxPending ?? DEFAULT_LIMITS.maxPending * GUARD_SLACK;
    let events = 0;
    let draining = false;
    // The events run in slices; between slices (never per event) the limits
    // are checked and progress reported.
    for (let slice = PROGRESS_EVERY; ; slice += PROGRESS_EVERY) {
      // Main phase: until the sources stop; then the drain: until every
      // message has completed or been lost, or `drain` ends.
      events = this.dispatchUntil(q, slice, events, draining ? end : this.durationMs, draining);
      if (events < slice && !draining) {
        draining = true;
        events = this.dispatchUntil(q, slice, events, end, true);
      }
      if (events < slice) break;
      if (events >= maxEvents) throw new RunLimitExceeded('events', events, maxEvents, this.now);
      if (this.jobs.live > maxPending) throw new RunLimitExceeded('pending', this.jobs.live, maxPending, this.now);
      control.onProgress?.({ simMs: this.now, endMs: end, events });
    }
    const endMs = Math.min(this.now, end);
    this.finishUnfinished();
    for (const s of this.sources) s.close();
    if (this.detail !== null) this.detail.victims = this.faults.picked();
    return {
      counters: this.counters,
      replicas: this.detail,
      events,
      endMs,
      breakerOpens: this.breakers?.opens ?? 0,
      ejections: this.outlier?.ejections ?? 0,
      scaling: this.scaling?.finish(endMs) ?? [],
    };
  }

  /**
   * Dispatches events up to `limit` ms until `events` reaches `slice`, or,
   * when `draining`, until no message is active either; returns the events
   * dispatched so far. Fewer than `slice`: the phase ended.
   *
   * The hot loop is a function of its own, returning as soon as it stops:
   * V8 compiles the loop while it runs, and code first reached after that —
   * the bookkeeping between slices, the switch to the drain — would throw
   * the compiled loop away (no type feedback for it yet) if it were here.
   * The drain's test runs from the start for the same reason, and the queue
   * comes as an argument: the first call runs before V8 keeps type feedback
   * for this function, so a field read on entry would have none.
   */
  private dispatchUntil(q: EventQueue, slice: number, events: number, limit: number, draining: boolean): number {
    while (events < slice && (this.activeJobs > 0 || !draining) && q.popUntil(limit)) {
      this.now = q.time;
      this.onEvent(q.kind, q.a, q.b);
      events++;
    }
    return events;
  }

  /**
   * Runs the handler of one event at `this.now`. The time is not an argument:
   * a double passed to a call V8 does not inline is boxed, a heap number per
   * event, where the clock's field is written in place.
   */
  private onEvent(kind: number, a: number, b: number): void {
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
        this.faults.onFault(a, b, this.now, this.q);
        break;
      case Ev.Flush:
        this.links.onFlush(a, b);
        break;
      case Ev.ScaleTick:
        this.scaling!.onTick(a, this.now, this.q);
        break;
      case Ev.ScaleReady:
        this.scaling!.onReady(a, b, this.now);
        break;
    }
  }

  // ----------------------------------------------------------------- sources

  private onSource(index: number, client: number): void {
    const src = this.sources[index]!;
    if (src.advance(index, client, this.q)) {
      const origin = src.origin === -2 ? this.randomReplica(src.originRole) : src.origin;
      // A crashed agent sends nothing; its traffic is not generated.
      if (origin < 0 || !this.mesh.isDown(origin)) this.createJob(index, origin, client);
      else if (client >= 0) src.reschedule(index, client, this.q);
    }
  }

  private randomReplica(role: number): number {
    const r = this.roles[role]!;
    return r.first + this.rngOrigin.int(r.count);
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
    jobs.entry[j] = index;
    jobs.origin[j] = origin;
    jobs.seq[j] = seq;
    const k2 = index << 16;
    jobs.bytes[j] = src.bytes >= 0 ? src.bytes : e.size.sample(this.msg.at(seq, k2));
    jobs.tokIn[j] = src.tokIn;
    jobs.tokOut[j] = src.tokOut;
    jobs.priority[j] = src.priority;
    jobs.cls[j] = src.cls >= 0 ? src.cls : e.cls;
    jobs.reply[j] = src.reply >= 0 ? src.reply : e.replySize !== null ? 1 : 0;
    jobs.firstRole[j] = src.dstRole;
    jobs.target[j] = src.dstAgent;
    jobs.replyFrom[j] = -1;
    jobs.deadline[j] = now + this.p.overallMs;
    jobs.state[j] = JobState.Active;
    jobs.measured[j] = measured ? 1 : 0;
    // The creator holds a reference while it starts the job, so that a copy
    // rejected on the spot cannot free the job under its feet.
    jobs.refs[j] = 1;
    jobs.cause[j] = Cause.None;
    jobs.received[j] = 0;
    jobs.joined[j] = 0;
    jobs.key[j] = Math.floor(this.msg.at(seq, k2 | 1).next() * e.spec.keys);
    jobs.client[j] = client;
    this.detail?.startJob(j);
    this.spans?.startJob(j, index, seq, measured);
    // Scatter–gather: done at `quorum` answers, lost once more than
    // count − quorum sub-requests have failed.
    const fan = e.spec.fanout;
    jobs.quorumLeft[j] = fan ? fan.quorum : 1;
    jobs.failuresLeft[j] = fan ? fan.count - fan.quorum + 1 : 1;
    const tally = this.tally(j);
    tally.generated++;
    if (tally.classes !== null) tally.classes.generated[jobs.cls[j]!]!++;
    this.timeline.generated[this.timeline.at(now)]!++;
    this.activeJobs++;
    if (fan) this.scatter(j, origin, fan.count);
    else this.startStage(j, origin, 0, -1, jobs.target[j]!, 0);
    this.dropRef(j);
  }

  /** Sends a scatter–gather job's first stage to `count` distinct replicas. */
  private scatter(j: number, origin: number, count: number): void {
    const role = this.stageRole(j, 0);
    const r = this.roles[role]!;
    const first = this.pick(role, origin, j);
    const base = first >= 0 ? first - r.first : this.rngRouting.int(r.count);
    for (let k = 0; k < count; k++) this.startStage(j, origin, 0, -1, r.first + ((base + k) % r.count), k);
  }

  // ------------------------------------------------------------------ stages

  private stageRole(j: number, s: number): number {
    const first = this.jobs.firstRole[j]!;
    return s === 0 && first >= 0 ? first : this.model.entries[this.jobs.entry[j]!]!.stages[s]!;
  }

  /**
   * Sends job `j` from agent `from` (-1 external) to a replica of stage `s`:
   * through an end-to-end call for the first hop of a request–reply job, an
   * acknowledged hop when delivery needs acks, or fire-and-forget. `target`
   * forces the replica of the first try (-1 = the balancer picks); `part` is
   * the scatter–gather sub-request it belongs to.
   */
  private startStage(j: number, from: number, s: number, root: number, target: number, part: number): void {
    if (s === 0 && this.jobs.reply[j] === 1) {
      const c = this.newCall(j, CallKind.EndToEnd, from, s, -1, target, part);
      this.calls.root[c] = c;
      this.attempt(c);
    } else if (this.acked) {
      this.attempt(this.newCall(j, CallKind.Hop, from, s, root, target, part));
    } else {
      const dst = target >= 0 ? target : this.pick(this.stageRole(j, s), from, j);
      if (dst < 0) {
        this.jobs.cause[j] = Cause.Breaker;
        return;
      }
      this.sendRequest(j, from, dst, s, -1, root, 0, 0, part);
    }
  }

  /** Starts stage `s` from agent `from`, or, when `s` forks a parallel group, every branch of it at once. */
  private startNext(j: number, from: number, s: number, root: number, part: number): void {
    const flow = this.model.entries[this.jobs.entry[j]!]!.flow;
    const g = flow.forks[s]!;
    if (g < 0) return this.startStage(j, from, s, root, -1, part);
    // A new fork (a retry's pipeline reaching the group again) starts a new join.
    this.jobs.joined[j] = 0;
    const heads = flow.heads[g]!;
    for (let k = 0; k < heads.length; k++) this.startStage(j, from, heads[k]!, root, -1, part);
  }

  private pick(role: number, from: number, j: number): number {
    return this.balancer.pick(role, from + 1, this.jobs.key[j]!, this.rngRouting);
  }

  /** Creates and dispatches a request, with its redundant twins when the policy asks. */
  private sendRequest(
    j: number,
    from: number,
    dst: number,
    stage: number,
    call: number,
    root: number,
    attempt: number,
    flags: number,
    part: number,
  ): void {
    const copies = from >= 0 && this.p.redundancy > 1 && this.jobs.priority[j]! >= this.p.redundantPriority ? this.p.redundancy : 1;
    if (copies > 1) flags |= Flag.Redundant;
    for (let k = 0; k < copies; k++) {
      const m = this.newRequest(j, from, dst, stage, call, root, attempt, flags);
      this.copies.part[m] = part;
      // `part` & 0x7f: the scatter–gather sub-request (bit 0x80 marks a hedge).
      this.spans?.copy(j, m, call, attempt > 0 || (flags & Flag.Hedge) !== 0, (part & 0x7f) > 0);
      // Twins leave through another neighbour: disjoint first hops.
      if (k > 0) this.copies.via[m] = this.detourVia(from, dst);
      this.dispatch(m, from);
    }
  }

  /** A random agent other than `from` and `dst` for a redundant copy to pass through. */
  private detourVia(from: number, dst: number): number {
    const n = this.model.n;
    if (n < 3) return -1;
    for (let t = 0; t < 8; t++) {
      const v = this.rngRouting.int(n);
      if (v !== from && v !== dst) return v;
    }
    return -1;
  }

  private newRequest(j: number, from: number, dst: number, stage: number, call: number, root: number, attempt: number, flags: number): number {
    const m = this.newCopy(j, Msg.Request, flags | Flag.Outstanding, stage, attempt, call, root, from, dst, this.jobs.bytes[j]!);
    this.outstanding[dst]!++;
    this.roleOutstanding[this.roleOf[dst]!]!++;
    return m;
  }

  /** A new copy of job `j` at agent `from`, bound for `dst`, counted as sent. */
  private newCopy(
    j: number,
    type: number,
    flags: number,
    stage: number,
    attempt: number,
    call: number,
    root: number,
    from: number,
    dst: number,
    bytes: number,
  ): number {
    const cp = this.copies;
    const m = cp.alloc();
    cp.job[m] = j;
    cp.type[m] = type;
    cp.flags[m] = flags | (this.jobs.measured[j]! << MEASURED_SHIFT);
    cp.stage[m] = stage;
    cp.attempt[m] = attempt;
    cp.call[m] = call;
    cp.root[m] = root;
    cp.src[m] = from;
    cp.dst[m] = dst;
    cp.at[m] = from;
    cp.via[m] = -1;
    cp.bytes[m] = bytes;
    cp.cause[m] = Cause.None;
    cp.sentAt[m] = this.now;
    cp.ttl[m] = MAX_HOPS;
    cp.hopsLeft[m] = UNKNOWN_HOPS;
    cp.slot[m] = -1;
    this.jobs.refs[j]!++;
    this.tally(j).sent++;
    this.timeline.sent[this.timeline.at(this.now)]!++;
    return m;
  }

  /** Puts a new copy on its way: straight in from outside, else over links. */
  private dispatch(m: number, from: number): void {
    const cp = this.copies;
    if (from < 0) {
      // External traffic enters its first role directly, with no link (SPEC §4).
      cp.at[m] = cp.dst[m]!;
      this.onArrive(m);
    } else if (from === cp.dst[m] && cp.via[m]! < 0) {
      cp.at[m] = from;
      this.q.when[0] = this.now;
      this.q.scheduleWhen(Ev.Arrive, m, cp.gen[m]!);
    } else {
      this.links.send(m, from);
    }
  }

  // ---------------------------------------------------------------- arrivals

  private onArrive(m: number): void {
    const cp = this.copies;
    const a = cp.at[m]!;
    if (this.mesh.isDown(a)) return this.loseCopy(m, Cause.Crash);
    if (a !== cp.dst[m] || cp.via[m] === a) {
      if (this.roles[this.roleAt(a)]!.relayCosts) {
        cp.flags[m]! |= Flag.Relay;
        const cause = this.admit(m, a);
        if (cause > 0) this.reject(m, cause);
      } else {
        this.links.send(m, a);
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
    const bit = this.receivedBit(m);
    if ((jobs.received[j]! & bit) !== 0) {
      if ((cp.flags[m]! & Flag.Redundant) !== 0) {
        // The twin that came second: discarded, and counted.
        this.tally(j).redundantDiscarded++;
        return this.releaseCopy(m);
      }
      if (this.dedup) {
        // Exactly-once: the receiver remembers the message and acks the repeat.
        this.tally(j).duplicates++;
        this.ackHop(m, a);
        return this.releaseCopy(m);
      }
    }
    if (this.scaling !== null) this.scaling.arrived(this.roleOf[a]!);
    const cause = this.admit(m, a);
    if (cause > 0) return this.reject(m, cause);
    if (cause === 0) this.accepted(m, a);
  }

  /** The receiver took the copy in (served, queued, or let in after backpressure). */
  private accepted(m: number, a: number): void {
    this.jobs.received[this.copies.job[m]!]! |= this.receivedBit(m);
    this.ackHop(m, a);
  }

  /**
   * The bit of `received` that stands for the copy's (stage, part): repeats of
   * it are recognised (a redundant twin, a retransmission under exactly-once;
   * a hedge is its part's repeat). A scatter–gather's parts each have their
   * own bits, as long as parts × stages fit in 32; beyond, 0: its repeats are
   * not recognised, and are served again.
   */
  private receivedBit(m: number): number {
    const cp = this.copies;
    const part = cp.part[m]! & 0x7f;
    // Part 0 (every message but a scatter–gather's later parts): the stage's own bit.
    const k = part === 0 ? cp.stage[m]! : part * this.model.entries[this.jobs.entry[cp.job[m]!]!]!.stages.length + cp.stage[m]!;
    return k < 32 ? 1 << k : 0;
  }

  /**
   * Admission at agent `a`: 0 = accepted (in service or waiting), -1 = held
   * back by backpressure, > 0 = rejected with that cause.
   */
  private admit(m: number, a: number): number {
    const ag = this.agents;
    const j = this.copies.job[m]!;
    // In fair order a copy queues (and is shed) by its class, else by its priority.
    const level = this.fair ? this.jobs.cls[j]! : this.jobs.priority[j]!;
    const waiting = ag.waiting[a]!;
    if (this.limiter !== null && ag.busy[a]! + waiting >= this.limiter.limit(a)) return Cause.Shed;
    if (waiting >= this.shedAt[level]!) return Cause.Shed;
    this.copies.admittedAt[m] = this.now;
    if (ag.hasFreeWorker(a)) {
      this.detail?.admitted(j, a, this.now);
      this.startService(m, a);
      return 0;
    }
    if (waiting < this.p.bufferCapacity) {
      this.detail?.admitted(j, a, this.now);
      ag.enqueue(a, m, level);
      return 0;
    }
    switch (this.p.bufferPolicy) {
      case 'drop-tail':
        return Cause.Overflow;
      case 'drop-head': {
        // Fair order drops the oldest of the arrival's own class: a class
        // never makes room for itself at another's expense.
        const victim = ag.removeOldest(a, this.fair ? level : 0);
        if (victim >= 0) this.reject(victim, Cause.Overflow);
        else if (this.fair) return Cause.Overflow;
        ag.enqueue(a, m, level);
        return 0;
      }
      case 'priority': {
        if (this.fair) {
          const cls = ag.fairVictim(a, level);
          if (cls < 0) return Cause.Overflow;
          this.reject(ag.removeOldest(a, cls), Cause.Overflow);
          ag.enqueue(a, m, level);
          return 0;
        }
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

  /** A request refused on its way or at its destination: tell the waiting caller, then drop it. */
  private reject(m: number, cause: number): void {
    const cp = this.copies;
    if (cp.type[m] === Msg.Request) {
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
    cp.slot[m] = this.agents.takeSlot(a, m, this.now);
    this.detail?.addWait(a, cp.admittedAt[m]!, this.now);
    const role = this.roles[this.roleAt(a)]!;
    // Each branch multiplies, so both give V8 a raw double to merge: merged
    // with the call's boxed result, the drawn one would be boxed too.
    const slow = this.mesh.slowFactorOf(a);
    let t: number;
    if ((cp.flags[m]! & Flag.Relay) !== 0) {
      role.relay.draw(this.rngRelay);
      t = role.relay.value * slow;
    } else {
      this.serviceTime(m, role);
      t = this.demand[0]! * slow;
    }
    if (this.fair) this.agents.charge(a, this.jobs.cls[cp.job[m]!]!, t);
    // Through `when`, as the samples through `value`: no heap number per event.
    const q = this.q;
    q.when[0] = this.now + t;
    q.scheduleWhen(Ev.Done, m, cp.gen[m]!);
  }

  /**
   * Service demand of a request at `role`. Drawn from a counter-based source
   * keyed by (message, stage, attempt, part): a message needs the same work
   * whatever configuration routes it, which keeps comparisons between
   * candidates fair, while retries, hedges and scatter–gather sub-requests —
   * separate executions — each draw their own. Into `demand[0]`: a double
   * returned from a call V8 does not inline is a new heap number.
   */
  private serviceTime(m: number, role: CompiledRole): void {
    const cp = this.copies;
    const jobs = this.jobs;
    const j = cp.job[m]!;
    const seq = jobs.seq[j]!;
    const stage = cp.stage[m]!;
    const entry = jobs.entry[j]!;
    let tin = 0;
    let tout = 0;
    if (role.tokenService !== null || role.tokensIn !== null) {
      // An LLM call: its tokens come from the trace, or are drawn for (message, stage).
      tin = jobs.tokIn[j]!;
      tout = jobs.tokOut[j]!;
      if (tin < 0 || tout < 0) {
        const u = this.msg.at(seq, (entry << 16) | (stage << 8) | 3);
        tin = role.tokensIn ? Math.round(role.tokensIn.sample(u)) : 0;
        tout = role.tokensOut ? Math.round(role.tokensOut.sample(u)) : 0;
      }
      const sums = this.tally(j).sums;
      sums[Sum.TokensIn]! += tin;
      sums[Sum.TokensOut]! += tout;
    }
    const ts = role.tokenService;
    if (ts !== null) {
      this.demand[0] = ts.base + tin * ts.perIn + tout * ts.perOut;
      return;
    }
    const service = role.service!;
    service.draw(this.svc.at(seq, executionKey(entry, stage, this.executionTry(m), cp.part[m]!)));
    this.demand[0] = service.value;
  }

  /**
   * The try of the execution `m` is part of, for the draws keyed by it: the
   * copy's own try, and past the first stage the end-to-end try too (a copy
   * there carries its hop's try only), so that a retried request draws anew
   * at every stage. Up to 8 tries of the hop and 8 of the request are told
   * apart beyond the first stage; at the first stage, the copy's own try is the
   * request's.
   */
  private executionTry(m: number): number {
    const cp = this.copies;
    const root = cp.root[m]!;
    const rootTry = root >= 0 && root !== cp.call[m] ? this.calls.attempt[root]! : 0;
    const own = cp.attempt[m]!;
    return rootTry === 0 ? own : (own & 7) | ((rootTry & 7) << 3);
  }

  private onDone(m: number): void {
    const cp = this.copies;
    const a = cp.at[m]!;
    const start = this.agents.slotStart[cp.slot[m]!]!;
    this.endService(m, a);
    this.detail?.served(cp.job[m]!, a, this.now - cp.admittedAt[m]!);
    if ((cp.flags[m]! & Flag.Relay) !== 0) {
      cp.flags[m]! &= ~Flag.Relay;
      this.links.send(m, a);
    } else {
      const failed = this.erring && this.fails(m, this.roles[this.roleAt(a)]!.errors);
      if (this.spans !== null) {
        const j = cp.job[m]!;
        this.spans.service(j, m, this.jobs.entry[j]!, this.jobs.seq[j]!, a, cp.stage[m]!, start, this.now, failed);
      }
      this.observeLatency(a, cp.sentAt, m);
      if (this.limiter !== null) {
        const ag = this.agents;
        this.limiter.onSample(a, this.now - cp.admittedAt[m]!, ag.loadAt(a) + 1, start - cp.admittedAt[m]!);
      }
      if (failed) this.serviceFailed(m, a);
      else this.finishStage(m, a);
      this.spans?.handed();
    }
    this.serveNext(a);
    if (this.scaling !== null) this.scaling.afterService(a, this.now);
  }

  /**
   * Whether the service of `m` ends in an error, with probability `p`: drawn
   * from a source keyed like the service demand, so the same execution fails
   * whatever configuration routes it, and a retry or a hedge draws anew
   * (`executionTry`).
   */
  private fails(m: number, p: number): boolean {
    if (p <= 0) return false;
    const cp = this.copies;
    const j = cp.job[m]!;
    return this.failDraw.at(this.jobs.seq[j]!, executionKey(this.jobs.entry[j]!, cp.stage[m]!, this.executionTry(m), cp.part[m]!)).next() < p;
  }

  /**
   * A service ended in an error: the end-to-end caller (request–reply) is
   * answered with it at once, as a failed try it may retry; a message nobody
   * waits for end to end is lost with cause `error`.
   */
  private serviceFailed(m: number, a: number): void {
    const cp = this.copies;
    this.clearOutstanding(m);
    const root = cp.root[m]!;
    const c = root >= 0 ? root : cp.call[m]!;
    // The error answers the caller's current try (a copy past the first stage carries no try of its own).
    if (c >= 0) this.answer(Msg.Nack, c, a, this.calls.attempt[c]!, Cause.Error, ANSWER_BYTES);
    this.loseCopy(m, Cause.Error);
  }

  /** Frees the worker slot of `m` and books its busy time. */
  private endService(m: number, a: number): void {
    const slot = this.copies.slot[m]!;
    const start = this.agents.slotStart[slot]!;
    this.agents.releaseSlot(a, slot);
    this.copies.slot[m] = -1;
    this.copyTally(m).sums[Sum.CpuMs]! += this.now - start;
    if (this.booksBusy) {
      const timeline = this.timeline;
      timeline.span[0] = start;
      timeline.span[1] = this.now;
      timeline.addBusy(this.roleAt(a));
    }
    this.detail?.addBusy(a, start, this.now);
    // Utilisation counts the part of the service inside [warmup, duration].
    // Always computed and added (0 outside it): arithmetic first reached
    // when the warm-up ends would throw the compiled handler away then (see
    // `tallies`).
    const warm = this.warmupMs;
    const dur = this.durationMs;
    const lo = start > warm ? start : warm;
    const hi = this.now < dur ? this.now : dur;
    const inside = hi - lo;
    this.counters.busyMs[this.roleAt(a)]! += inside > 0 ? inside : 0;
  }

  /** Starts the next waiting copies, then lets in senders held back, if any. */
  private serveNext(a: number): void {
    const ag = this.agents;
    if (this.mesh.isDown(a)) return;
    while (ag.hasFreeWorker(a)) {
      const m = ag.dequeue(a);
      if (m < 0) break;
      // A message whose deadline passed while it waited is dropped, not served.
      if (this.now > this.jobs.deadline[this.copies.job[m]!]! && (this.copies.flags[m]! & Flag.Relay) === 0) {
        this.loseCopy(m, Cause.Timeout);
        continue;
      }
      this.startService(m, a);
    }
    // Only backpressure holds senders back: other policies skip the agent's count, seldom in the cache.
    while (this.parks && ag.parked[a]! > 0 && ag.waiting[a]! < this.p.bufferCapacity) {
      const m = ag.unpark(a);
      const cause = this.admit(m, a);
      if (cause > 0) this.reject(m, cause);
      else if (cause === 0 && (this.copies.flags[m]! & Flag.Relay) === 0) this.accepted(m, a);
    }
  }

  /**
   * Peak-EWMA: jump to a slower observation, else move towards it by the
   * weight of the time since the estimate was last updated (observed or
   * weighed), as tower's `RttEstimate::update`. The observation is the time
   * since `since[i]` (a send or a try's start): a time passed as a double to
   * a call V8 does not inline is boxed in a new heap number.
   */
  private observeLatency(a: number, since: Float64Array, i: number): void {
    if (!this.tracksLatency) return;
    const ms = this.now - since[i]!;
    const prev = this.latencyEwma[a]!;
    if (ms >= prev) {
      this.latencyEwma[a] = ms;
    } else {
      const w = Math.exp(-(this.now - this.latencyAt[a]!) / EWMA_DECAY_MS);
      this.latencyEwma[a] = prev * w + ms * (1 - w);
    }
    this.latencyAt[a] = this.now;
  }

  /**
   * The peak-EWMA estimate of agent `a` as a balancer weighs it: decayed
   * towards 0 over the time since its last update, and kept so (tower's
   * `RttEstimate::decay`, Finagle's read of its metric). Without it a
   * replica avoided after one slow answer is never weighed cheaper again,
   * and never sent the request that would show it recovered.
   */
  private weighLatency(a: number): number {
    const est = this.latencyEwma[a]!;
    const dt = this.now - this.latencyAt[a]!;
    if (est === 0 || dt <= 0) return est;
    const decayed = est * Math.exp(-dt / EWMA_DECAY_MS);
    this.latencyEwma[a] = decayed;
    this.latencyAt[a] = this.now;
    return decayed;
  }

  private finishStage(m: number, a: number): void {
    const cp = this.copies;
    const j = cp.job[m]!;
    const s = cp.stage[m]!;
    this.clearOutstanding(m);
    const flow = this.model.entries[this.jobs.entry[j]!]!.flow;
    let next = flow.next[s]!;
    if (next === JOIN) {
      // The last stage of a parallel branch: the first finish of each branch
      // counts (a hedge's or a retry's second finish is a duplicate); the
      // message goes on from here once every branch has finished.
      const jobs = this.jobs;
      const bit = flow.bit[s]!;
      if ((jobs.joined[j]! & bit) !== 0) {
        this.tally(j).duplicates++;
        return this.releaseCopy(m);
      }
      const g = flow.group[s]!;
      jobs.joined[j]! |= bit;
      if (jobs.joined[j] !== flow.full[g]) return this.releaseCopy(m);
      next = flow.after[g]!;
    }
    if (next !== END) {
      this.startNext(j, a, next, cp.root[m]!, cp.part[m]!);
      return this.releaseCopy(m);
    }
    if (this.jobs.reply[j] === 0) {
      this.completeJob(j);
      return this.releaseCopy(m);
    }
    // Request–reply: the last stage answers the end-to-end caller directly.
    const entry = this.model.entries[this.jobs.entry[j]!]!;
    const size = entry.replySize
      ? entry.replySize.sample(this.msg.at(this.jobs.seq[j]!, (entry.index << 16) | 2))
      : DEFAULT_REPLY_BYTES;
    this.answer(Msg.Reply, cp.root[m]!, a, cp.attempt[m]!, Cause.None, size);
    this.releaseCopy(m);
  }

  // ------------------------------------------------------------------- calls

  private newCall(j: number, kind: number, caller: number, stage: number, root: number, target: number, part: number): number {
    const cl = this.calls;
    const c = cl.alloc();
    cl.job[c] = j;
    cl.kind[c] = kind;
    cl.state[c] = CallState.Active;
    cl.caller[c] = caller;
    cl.stage[c] = stage;
    cl.root[c] = root;
    cl.callee[c] = -1;
    cl.target[c] = target;
    cl.part[c] = part;
    cl.attempt[c] = 0;
    cl.sleep[c] = 0;
    cl.hedged[c] = 0;
    cl.probe[c] = 0;
    cl.held[c] = -1;
    // Calls live as long as their job, so late answers always find them.
    cl.nextInJob[c] = this.jobs.calls[j]!;
    this.jobs.calls[j] = c;
    this.jobs.refs[j]!++;
    this.spans?.call(j, c);
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
    if (caller >= 0 && this.mesh.isDown(caller)) return this.giveUp(c, Cause.Crash);
    const forced = cl.attempt[c] === 0 ? cl.target[c]! : -1;
    const dst = forced >= 0 ? forced : this.pick(this.stageRole(j, cl.stage[c]!), caller, j);
    if (dst < 0) return this.callFailed(c, Cause.Breaker);
    cl.callee[c] = dst;
    cl.probe[c] = this.breakers !== null && this.breakers.onSend(dst) ? 1 : 0;
    const perTry = cl.kind[c] === CallKind.Hop ? this.p.ackTimeoutMs : this.p.perTryMs;
    // Times through `when` (see startService).
    const q = this.q;
    const timeoutAt = Math.min(this.now + perTry, this.jobs.deadline[j]!);
    if (timeoutAt < Infinity) {
      q.when[0] = timeoutAt;
      q.scheduleWhen(Ev.Timeout, c, token);
    }
    if (this.p.hedgeAfterMs < Infinity) {
      q.when[0] = this.now + this.p.hedgeAfterMs;
      q.scheduleWhen(Ev.Hedge, c, token);
    }
    this.sendRequest(j, caller, dst, cl.stage[c]!, c, cl.root[c]!, cl.attempt[c]!, 0, cl.part[c]!);
  }

  private onHedge(c: number): void {
    const cl = this.calls;
    if (cl.hedged[c] === 1) return;
    cl.hedged[c] = 1;
    const j = cl.job[c]!;
    const caller = cl.caller[c]!;
    if (caller >= 0 && this.mesh.isDown(caller)) return;
    const dst = this.pick(this.stageRole(j, cl.stage[c]!), caller, j);
    if (dst < 0) return;
    this.tally(j).hedges++;
    // A hedge is a second execution: it draws its own service demand.
    this.sendRequest(j, caller, dst, cl.stage[c]!, c, cl.root[c]!, cl.attempt[c]!, Flag.Hedge, cl.part[c]! | 0x80);
  }

  /** Sends an answer (reply, ack, error) from agent `from` to the caller of `c`. */
  private answer(type: number, c: number, from: number, attempt: number, cause: number, bytes: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    const caller = cl.caller[c]!;
    if (caller < 0) {
      // The external client is reached without a link (and without a copy).
      this.tally(j).sent++;
      this.timeline.sent[this.timeline.at(this.now)]!++;
      if (type === Msg.Reply) this.onReply(c);
      else if (type === Msg.Ack) this.onAck(c);
      else this.onNack(c, attempt, cause);
      return;
    }
    const m = this.newCopy(j, type, 0, cl.stage[c]!, attempt, c, cl.root[c]!, from, caller, bytes);
    this.copies.cause[m] = cause;
    // A reply retracing its request's pair starts with the distance the
    // request found (Links.send): its first hop looks nothing up.
    if (type === Msg.Reply && this.jobs.replyFrom[j] === from) this.copies.hopsLeft[m] = this.jobs.replyHops[j]!;
    this.dispatch(m, from);
  }

  private onReply(c: number): void {
    const cl = this.calls;
    const j = cl.job[c]!;
    if (cl.state[c] === CallState.Active) {
      this.completeJob(j);
      this.callSucceeded(c);
    } else if (cl.state[c] === CallState.Done) {
      // A second answer to a call already answered (a hedge, a retry's twin).
      this.tally(j).duplicates++;
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
    this.releaseHeld(c);
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
    this.releaseHeld(c);
    const callee = cl.callee[c]!;
    if (callee >= 0 && cause !== Cause.Breaker) {
      const br = this.breakers;
      if (br !== null) {
        // Only a failure can trip a breaker: count the trips per time bucket for the timeline.
        const opens = br.opens;
        br.onResult(callee, false, cl.probe[c] === 1, this.now);
        if (br.opens !== opens) this.timeline.breakerOpens[this.timeline.at(this.now)]! += br.opens - opens;
      }
      this.outlier?.onResult(callee, false, this.now);
      if (cause === Cause.Timeout) {
        // A try abandoned by timeout held the message where it is stuck: at the
        // callee, or, after hand-offs, at a later stage (ReplicaDetail).
        this.detail?.abandoned(cl.job[c]!, callee, cl.startedAt[c]!, this.now);
        // The balancer saw it take that long (a proxy's request ends with its
        // timeout): a replica that answers nothing is not weighed as idle.
        this.observeLatency(callee, cl.startedAt, c);
      }
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
        this.tally(j).retries++;
        this.timeline.retries[this.timeline.at(this.now)]!++;
        this.q.when[0] = at;
        this.q.scheduleWhen(Ev.Retry, c, token);
        return;
      }
    }
    this.giveUp(c, cause);
  }

  private giveUp(c: number, cause: number): void {
    const cl = this.calls;
    this.releaseHeld(c);
    const j = cl.job[c]!;
    cl.state[c] = CallState.Failed;
    cl.token[c]!++;
    this.jobs.cause[j] = cause;
    // An end-to-end caller that gives up has its answer: the message (or, in a
    // scatter–gather, this part of it) failed, whatever its stray copies do.
    if (cl.kind[c] === CallKind.EndToEnd && --this.jobs.failuresLeft[j]! <= 0) this.loseJob(j, cause);
    this.dropRef(j);
  }

  // -------------------------------------------------------------- job fates

  private completeJob(j: number): void {
    const jobs = this.jobs;
    const left = --jobs.quorumLeft[j]!;
    if (jobs.state[j] === JobState.Active) {
      if (left > 0) return;
      jobs.state[j] = JobState.Done;
      const latency = this.now - jobs.created[j]!;
      // Recorded from an array: see `latencyCell`.
      const cell = this.latencyCell;
      cell[0] = latency;
      const tally = this.tally(j);
      tally.delivered++;
      tally.latency.recordAt(cell, 0);
      const classes = tally.classes;
      if (classes !== null) {
        classes.delivered[jobs.cls[j]!]!++;
        classes.latency[jobs.cls[j]!]!.recordAt(cell, 0);
      }
      // `detail` is read whatever the flag: a read first made when the
      // warm-up ends would throw the compiled handler away then.
      const detail = this.detail;
      if (detail !== null && jobs.measured[j] === 1) detail.deliveredJob(j, jobs.created[j]!, latency);
      const b = this.timeline.at(this.now);
      this.timeline.delivered[b]!++;
      this.timeline.latencySumMs[b]! += latency;
      this.notifyClient(j);
    } else if (jobs.state[j] === JobState.Done && left < -(jobs.failuresLeft[j]! - 1)) {
      // Completions beyond a scatter–gather's expected answers are duplicates.
      this.tally(j).duplicates++;
    }
  }

  private loseJob(j: number, cause: number): void {
    const jobs = this.jobs;
    if (jobs.state[j] !== JobState.Active) return;
    jobs.state[j] = JobState.Lost;
    // An error marked its own span; another cause marks the message's last one.
    if (cause !== Cause.Error) this.spans?.lost(j);
    const tally = this.tally(j);
    tally.lost[cause === Cause.None ? Cause.Unfinished : cause]!++;
    if (tally.classes !== null) tally.classes.lost[jobs.cls[j]!]!++;
    this.timeline.lost[this.timeline.at(this.now)]!++;
    this.notifyClient(j);
  }

  /** A closed-workload client has its answer: it thinks, then sends again. */
  private notifyClient(j: number): void {
    const client = this.jobs.client[j]!;
    if (client < 0) return;
    this.jobs.client[j] = -1;
    const index = this.jobs.entry[j]!;
    this.sources[index]!.reschedule(index, client, this.q);
  }

  private clearOutstanding(m: number): void {
    const cp = this.copies;
    if ((cp.flags[m]! & Flag.Outstanding) === 0) return;
    cp.flags[m]! &= ~Flag.Outstanding;
    const dst = cp.dst[m]!;
    this.outstanding[dst]!--;
    this.roleOutstanding[this.roleOf[dst]!]!--;
  }

  private loseCopy(m: number, cause: number): void {
    this.jobs.cause[this.copies.job[m]!] = cause;
    this.holdOutstanding(m, cause);
    this.releaseCopy(m);
  }

  /**
   * A request lost on its way stays outstanding, as its caller sees it, until
   * the caller's attempt ends (answer, error or timeout): balancers count what
   * a proxy counts, so a replica that swallows requests looks busy, not idle.
   * Without a caller, what a crashed agent swallowed stays counted until it
   * recovers.
   */
  private holdOutstanding(m: number, cause: number): void {
    const cp = this.copies;
    if ((cp.flags[m]! & Flag.Outstanding) === 0) return;
    const c = cp.call[m]!;
    if (c < 0) {
      // No caller waits: a message swallowed by a crashed agent stays pending
      // on it, as on a dead connection, until the agent comes back.
      const dst = cp.dst[m]!;
      if (cause === Cause.Crash && this.mesh.isDown(dst)) {
        this.swallowed[dst]!++;
        cp.flags[m]! &= ~Flag.Outstanding;
      }
      return;
    }
    const cl = this.calls;
    if (cl.state[c] !== CallState.Active || cl.held[c]! >= 0 || cl.attempt[c] !== cp.attempt[m]) return;
    cl.held[c] = cp.dst[m]!;
    if (this.heldAt !== null) this.heldAt[cp.dst[m]!]!++;
    cp.flags[m]! &= ~Flag.Outstanding;
  }

  /** The caller's attempt ended: what a lost copy held is released. */
  private releaseHeld(c: number): void {
    const a = this.calls.held[c]!;
    if (a < 0) return;
    this.calls.held[c] = -1;
    if (this.heldAt !== null) this.heldAt[a]!--;
    this.outstanding[a]!--;
    this.roleOutstanding[this.roleOf[a]!]!--;
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

  /** Agent `a` goes down: what it holds — waiting and in service — is lost. */
  private crash(a: number): void {
    if (!this.mesh.down(a, this.now)) return;
    this.scaling?.crashChanged(a, this.now);
    const ag = this.agents;
    for (let m = ag.dequeue(a); m >= 0; m = ag.dequeue(a)) this.loseCopy(m, Cause.Crash);
    const end = this.model.slotBase[a + 1]!;
    for (let s = this.model.slotBase[a]!; s < end; s++) {
      const m = ag.slotCopy[s]!;
      if (m < 0) continue;
      this.endService(m, a);
      this.loseCopy(m, Cause.Crash);
    }
  }

  private repair(a: number): void {
    if (!this.mesh.up(a)) return;
    this.scaling?.crashChanged(a, this.now);
    const gone = this.swallowed[a]!;
    this.swallowed[a] = 0;
    this.outstanding[a]! -= gone;
    this.roleOutstanding[this.roleOf[a]!]! -= gone;
    this.serveNext(a);
  }
}
