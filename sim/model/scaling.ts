/**
 * Autoscaling in the model (SPEC §5 `autoscale`): each autoscaled role's
 * agents are laid out for its `max` replicas; this driver decides which of
 * them run. At every evaluation it measures the role, asks the role's
 * autoscaler (sim/policies/autoscale) for a count, and acts:
 *
 * - a new replica *starts* on the lowest agent not running, and serves once
 *   `provisioning` has passed: then it becomes eligible for the balancers;
 * - a removed replica first cancels one still starting (the newest), else
 *   *drains* the ready replica with the highest index: it takes no new work,
 *   finishes what it holds, and stops once nothing is queued at it, in
 *   service, or on its way to it;
 * - an agent that does not run is down, as a crashed one is: a message that
 *   still reaches it is lost.
 *
 * The balancers see a role's replicas up to the highest ready one (and skip
 * those not ready), so a role that never scales is balanced exactly as
 * before. Replica time is integrated for the cost model and the scaling
 * chart. Nothing here runs per message except `arrived` and `afterService`,
 * which the simulator calls only when some role autoscales.
 */
import type { EventQueue } from '../engine/event-queue.js';
import type { RoleScalingTally } from '../metrics/scaling.js';
import { spreadSpan, type Timeline } from '../metrics/timeline.js';
import { Autoscaler, type AutoscaleSettings } from '../policies/autoscale/index.js';
import type { Balancer, RoleRange } from '../policies/balancers/index.js';
import type { AgentQueues } from './agents.js';
import type { CompiledRole, CompiledScenario } from './compile.js';
import { Ev } from './kinds.js';
import type { MeshState } from './mesh-state.js';

/** A replica's state. Agents of roles that do not autoscale are always Ready. */
export const Replica = { Off: 0, Starting: 1, Ready: 2, Draining: 3 } as const;

const STATE_NAMES = ['off', 'starting', 'ready', 'draining'] as const;

/** One line of the scaling log (kept only when asked for: tests and debugging). */
export type ScaleEvent =
  | {
      kind: 'evaluate';
      atMs: number;
      role: string;
      /** Replicas ready, and ready or starting, when the metric was taken. */
      ready: number;
      current: number;
      metric: number;
      /** Of `ready`, those down by a crash (left out of the metric, as the HPA leaves out unready pods). */
      unready: number;
      /** Worker time and serving replica time over the period, ms, and of that the crashed replicas' (the utilisation's parts). */
      busyMs: number;
      servingMs: number;
      crashedMs: number;
      arrivals: number;
      forecastPerSec: number;
      raw: number;
      stabilized: number;
      final: number;
    }
  | { kind: 'replica'; atMs: number; role: string; agent: number; state: (typeof STATE_NAMES)[number] | 'cancelled' };

/** What the driver reads and writes of the simulator's state. */
export interface ScalingDeps {
  model: CompiledScenario;
  agents: AgentQueues;
  mesh: MeshState;
  /** Requests dispatched to each agent and not finished, as the balancers count them. */
  outstanding: Int32Array;
  /** Of those, requests lost on the way (held by their callers) and swallowed by a crash: not coming. */
  held: Int32Array;
  swallowed: Int32Array;
  timeline: Timeline;
  /** The balancers' view of each role's replicas (their `count` is the span this driver sets). */
  ranges: RoleRange[];
  balancer: Balancer;
  settings: Record<string, AutoscaleSettings>;
  warmupMs: number;
  durationMs: number;
  log: ScaleEvent[] | null;
}

export class Autoscaling {
  /** Per agent: its Replica state. */
  readonly state: Uint8Array;
  private readonly token: Int32Array;
  private readonly roles: CompiledRole[];
  /** The autoscaled roles' indices, and their autoscalers by role index. */
  private readonly scaled: number[] = [];
  private readonly scalers: Array<Autoscaler | null>;
  private readonly ready: Int32Array;
  private readonly starting: Int32Array;
  private readonly draining: Int32Array;
  /** Replicas ready or draining but down by a crash (serving nothing while they count as serving). */
  private readonly crashed: Int32Array;
  /** Last time each role's replica integrals were brought up to, ms. */
  private readonly lastMs: Float64Array;
  /** Serving replica-ms since time 0, and its value and the role's worker time at the last evaluation. */
  private readonly servingAllMs: Float64Array;
  private readonly prevServingMs: Float64Array;
  private readonly prevBusyMs: Float64Array;
  /** Of the serving replica-ms, those of crashed replicas, since time 0 and at the last evaluation. */
  private readonly crashedAllMs: Float64Array;
  private readonly prevCrashedMs: Float64Array;
  /** Arrivals at each role since its last evaluation, and since time 0. */
  private readonly arrivals: Float64Array;
  private readonly arrivalsTotal: Float64Array;
  private readonly tallies: Array<RoleScalingTally | null>;

  constructor(private readonly d: ScalingDeps) {
    const m = d.model;
    this.roles = m.roles;
    const nr = m.roles.length;
    this.state = new Uint8Array(m.n).fill(Replica.Ready);
    this.token = new Int32Array(m.n);
    this.ready = new Int32Array(nr);
    this.starting = new Int32Array(nr);
    this.draining = new Int32Array(nr);
    this.crashed = new Int32Array(nr);
    this.lastMs = new Float64Array(nr);
    this.crashedAllMs = new Float64Array(nr);
    this.prevCrashedMs = new Float64Array(nr);
    this.servingAllMs = new Float64Array(nr);
    this.prevServingMs = new Float64Array(nr);
    this.prevBusyMs = new Float64Array(nr);
    this.arrivals = new Float64Array(nr);
    this.arrivalsTotal = new Float64Array(nr);
    this.scalers = m.roles.map(() => null);
    this.tallies = m.roles.map(() => null);
    for (const r of m.roles) {
      const s = d.settings[r.name];
      if (!r.autoscaled || s === undefined) continue;
      this.scaled.push(r.index);
      this.scalers[r.index] = new Autoscaler(s);
      this.tallies[r.index] = {
        role: r.index,
        runningMs: 0,
        servingMs: 0,
        low: r.initial,
        peak: r.initial,
        scaleUps: 0,
        scaleDowns: 0,
        bucketServingMs: new Float64Array(d.timeline.buckets),
        bucketCrashedMs: new Float64Array(d.timeline.buckets),
      };
      for (let k = 0; k < r.count; k++) {
        const a = r.first + k;
        if (k < r.initial) continue;
        this.state[a] = Replica.Off;
        // Never ran: known to be down from the start.
        d.mesh.down(a, -Infinity);
      }
      this.ready[r.index] = r.initial;
      this.updateSpan(r);
    }
  }

  /** Whether agent `a` runs: starting, ready or draining (a fault's victims are picked among these). */
  isRunning(a: number): boolean {
    return this.state[a] !== Replica.Off;
  }

  /** Whether the balancers may send new work to agent `a`. */
  isReady(a: number): boolean {
    return this.state[a] === Replica.Ready;
  }

  start(q: EventQueue): void {
    for (const r of this.scaled) q.schedule(this.scalers[r]!.settings.periodMs, Ev.ScaleTick, r, 0);
  }

  /** A request reached a replica of `role` (the arrival rate a forecast learns from). */
  arrived(role: number): void {
    this.arrivals[role]!++;
  }

  /** Agent `a` finished a piece of work: a draining replica may now stop. */
  afterService(a: number, nowMs: number): void {
    if (this.state[a] === Replica.Draining) this.tryStop(a, nowMs);
  }

  // ------------------------------------------------------------ evaluation

  onTick(role: number, nowMs: number, q: EventQueue): void {
    const r = this.roles[role]!;
    const scaler = this.scalers[role]!;
    const s = scaler.settings;
    this.advance(role, nowMs);
    // Drained replicas whose last message went astray stop here at the latest.
    for (let a = r.first; a < r.first + r.count; a++) if (this.state[a] === Replica.Draining) this.tryStop(a, nowMs);

    const busyAll = this.busyMs(r, nowMs);
    const busyMs = busyAll - this.prevBusyMs[role]!;
    const servingMs = this.servingAllMs[role]! - this.prevServingMs[role]!;
    const crashedMs = this.crashedAllMs[role]! - this.prevCrashedMs[role]!;
    this.prevBusyMs[role] = busyAll;
    this.prevServingMs[role] = this.servingAllMs[role]!;
    this.prevCrashedMs[role] = this.crashedAllMs[role]!;
    // Crashed replicas are not ready, as the HPA counts pods: the metric is taken
    // over the others, and again with them at 0 for a scale-up (target-tracking.ts).
    const ready = this.ready[role]!;
    const unready = this.crashedAmong(r, false);
    const upMs = servingMs - crashedMs;
    let metric: number;
    let metricWithUnready: number;
    if (s.metric === 'utilization') {
      metric = upMs > 0 ? busyMs / (upMs * r.workers) : 0;
      metricWithUnready = servingMs > 0 ? busyMs / (servingMs * r.workers) : 0;
    } else {
      const load = this.readyLoad(r);
      metric = ready > unready ? load / (ready - unready) : 0;
      metricWithUnready = ready > 0 ? load / ready : 0;
    }
    const arrivals = this.arrivals[role]!;
    this.arrivals[role] = 0;
    this.arrivalsTotal[role]! += arrivals;
    const total = this.arrivalsTotal[role]!;
    const current = ready + this.starting[role]!;
    const decision = scaler.decide(nowMs, {
      ready: ready - unready,
      unready,
      metricWithUnready,
      current,
      metric,
      arrivalRate: (arrivals * 1000) / s.periodMs,
      workPerArrivalMs: total > 0 ? busyAll / total : 0,
      workers: r.workers,
    });
    this.d.log?.push({
      kind: 'evaluate',
      atMs: nowMs,
      role: r.name,
      ready,
      unready,
      current,
      metric,
      busyMs,
      servingMs,
      crashedMs,
      arrivals,
      forecastPerSec: decision.forecastPerSec,
      raw: decision.raw,
      stabilized: decision.stabilized,
      final: decision.final,
    });
    this.resize(r, decision.final, nowMs, q);
    q.schedule(nowMs + s.periodMs, Ev.ScaleTick, role, 0);
  }

  /** Worker time of the role's replicas from time 0 to now: finished services (timeline) and those under way. */
  private busyMs(r: CompiledRole, nowMs: number): number {
    const t = this.d.timeline;
    let sum = 0;
    const row = r.index * t.buckets;
    for (let b = 0; b < t.buckets; b++) sum += t.busyMs[row + b]!;
    const ag = this.d.agents;
    const base = this.d.model.slotBase;
    for (let s = base[r.first]!; s < base[r.first + r.count]!; s++) if (ag.slotCopy[s]! >= 0) sum += nowMs - ag.slotStart[s]!;
    return sum;
  }

  /** Messages in service or waiting at the ready replicas (a crashed one holds none). */
  private readyLoad(r: CompiledRole): number {
    const ag = this.d.agents;
    let sum = 0;
    for (let a = r.first; a < r.first + r.count; a++) if (this.state[a] === Replica.Ready) sum += ag.loadAt(a);
    return sum;
  }

  /** Replicas of the role down by a crash now: the ready ones, and with `draining` the draining ones too. */
  private crashedAmong(r: CompiledRole, draining: boolean): number {
    const mesh = this.d.mesh;
    let n = 0;
    for (let a = r.first; a < r.first + r.count; a++) {
      const st = this.state[a];
      if ((st === Replica.Ready || (draining && st === Replica.Draining)) && mesh.isDown(a)) n++;
    }
    return n;
  }

  /**
   * Agent `a` crashed or came back (the simulator calls it when its down
   * count leaves or reaches 0): the crashed replica time of its role is
   * integrated up to now with the count before.
   */
  crashChanged(a: number, nowMs: number): void {
    const r = this.roles[this.d.model.roleOf[a]!]!;
    if (this.scalers[r.index] === null) return;
    this.advance(r.index, nowMs);
    this.recountCrashed(r);
  }

  /** Serving (ready or draining) replicas of the role that are down by a crash. */
  private recountCrashed(r: CompiledRole): void {
    this.crashed[r.index] = this.crashedAmong(r, true);
  }

  // --------------------------------------------------------------- actions

  private resize(r: CompiledRole, target: number, nowMs: number, q: EventQueue): void {
    const role = r.index;
    const current = this.ready[role]! + this.starting[role]!;
    if (target === current) return;
    const tally = this.tallies[role]!;
    if (target > current) {
      tally.scaleUps++;
      for (let k = current; k < target; k++) this.startOne(r, nowMs, q);
      return;
    }
    tally.scaleDowns++;
    for (let k = target; k < current; k++) {
      if (this.starting[role]! > 0) this.cancelNewest(r, nowMs);
      else this.drainTop(r, nowMs);
    }
  }

  private startOne(r: CompiledRole, nowMs: number, q: EventQueue): void {
    const s = this.scalers[r.index]!.settings;
    for (let a = r.first; a < r.first + r.count; a++) {
      if (this.state[a] !== Replica.Off) continue;
      this.set(r, a, Replica.Starting, nowMs);
      q.schedule(nowMs + s.provisioningMs, Ev.ScaleReady, a, ++this.token[a]!);
      return;
    }
    // Every agent is running or draining: a draining replica is still up, so it
    // is taken back into service rather than waiting for it to stop.
    for (let a = r.first; a < r.first + r.count; a++) {
      if (this.state[a] !== Replica.Draining) continue;
      this.set(r, a, Replica.Ready, nowMs);
      return;
    }
  }

  onReady(a: number, token: number, nowMs: number): void {
    if (this.token[a] !== token || this.state[a] !== Replica.Starting) return;
    const r = this.roles[this.d.model.roleOf[a]!]!;
    this.set(r, a, Replica.Ready, nowMs);
  }

  private cancelNewest(r: CompiledRole, nowMs: number): void {
    for (let a = r.first + r.count - 1; a >= r.first; a--) {
      if (this.state[a] !== Replica.Starting) continue;
      this.token[a]!++;
      this.set(r, a, Replica.Off, nowMs, 'cancelled');
      return;
    }
  }

  private drainTop(r: CompiledRole, nowMs: number): void {
    for (let a = r.first + r.count - 1; a >= r.first; a--) {
      if (this.state[a] !== Replica.Ready) continue;
      this.set(r, a, Replica.Draining, nowMs);
      this.tryStop(a, nowMs);
      return;
    }
  }

  /** A draining replica stops once nothing is queued at it, in service, held back or on its way to it. */
  private tryStop(a: number, nowMs: number): void {
    const ag = this.d.agents;
    if (ag.loadAt(a) !== 0 || ag.parked[a] !== 0) return;
    if (this.d.outstanding[a]! - this.d.held[a]! - this.d.swallowed[a]! > 0) return;
    this.set(this.roles[this.d.model.roleOf[a]!]!, a, Replica.Off, nowMs);
  }

  /** Moves agent `a` of role `r` to `next`, keeping the counts, the integrals, the mesh and the balancers in step. */
  private set(r: CompiledRole, a: number, next: number, nowMs: number, why?: 'cancelled'): void {
    const role = r.index;
    this.advance(role, nowMs);
    const prev = this.state[a]!;
    this.count(role, prev, -1);
    this.count(role, next, +1);
    this.state[a] = next;
    const mesh = this.d.mesh;
    const wasUp = prev === Replica.Ready || prev === Replica.Draining;
    const isUp = next === Replica.Ready || next === Replica.Draining;
    if (wasUp && !isUp) mesh.down(a, nowMs);
    else if (!wasUp && isUp) mesh.up(a);
    if (prev === Replica.Ready || next === Replica.Ready) this.updateSpan(r);
    this.recountCrashed(r);
    const tally = this.tallies[role]!;
    const running = this.ready[role]! + this.starting[role]! + this.draining[role]!;
    if (running > tally.peak) tally.peak = running;
    if (running < tally.low) tally.low = running;
    this.d.log?.push({ kind: 'replica', atMs: nowMs, role: r.name, agent: a, state: why ?? STATE_NAMES[next]! });
  }

  private count(role: number, state: number, delta: number): void {
    if (state === Replica.Ready) this.ready[role]! += delta;
    else if (state === Replica.Starting) this.starting[role]! += delta;
    else if (state === Replica.Draining) this.draining[role]! += delta;
  }

  /** The balancers' span of the role: up to its highest ready replica. */
  private updateSpan(r: CompiledRole): void {
    let span = r.count;
    while (span > 1 && this.state[r.first + span - 1] !== Replica.Ready) span--;
    this.d.ranges[r.index]!.count = span;
    this.d.balancer.resized?.(r.index);
  }

  // ------------------------------------------------------------ integrals

  /** Integrates the role's replica counts from its last change to `nowMs`. */
  private advance(role: number, nowMs: number): void {
    const from = this.lastMs[role]!;
    if (nowMs <= from) return;
    this.lastMs[role] = nowMs;
    const serving = this.ready[role]! + this.draining[role]!;
    const running = serving + this.starting[role]!;
    this.servingAllMs[role]! += serving * (nowMs - from);
    this.crashedAllMs[role]! += this.crashed[role]! * (nowMs - from);
    const tally = this.tallies[role]!;
    const lo = from > this.d.warmupMs ? from : this.d.warmupMs;
    const hi = nowMs < this.d.durationMs ? nowMs : this.d.durationMs;
    if (hi > lo) {
      tally.runningMs += running * (hi - lo);
      tally.servingMs += serving * (hi - lo);
    }
    // Serving replica time per timeline bucket, split as worker time is, and the crashed part of it.
    const t = this.d.timeline;
    if (serving > 0) spreadSpan(tally.bucketServingMs, 0, t.bucketMs, t.buckets, from, nowMs, serving);
    const crashed = this.crashed[role]!;
    if (crashed > 0) spreadSpan(tally.bucketCrashedMs, 0, t.bucketMs, t.buckets, from, nowMs, crashed);
  }

  /** The run ended at `endMs`: the tallies of the roles that autoscaled. */
  finish(endMs: number): RoleScalingTally[] {
    for (const r of this.scaled) this.advance(r, endMs);
    return this.scaled.map((r) => this.tallies[r]!);
  }
}
