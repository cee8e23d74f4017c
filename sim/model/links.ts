import type { EventQueue } from '../engine/event-queue.js';
import { growF64, growI32 } from '../engine/typed-arrays.js';
import { mix32, type Stream } from '../engine/rng.js';
import * as counters from '../metrics/counters.js';
import type { Counters } from '../metrics/counters.js';
import { Codec } from '../policies/codec.js';
import type { PathPolicy } from '../policies/paths/index.js';
import type { CompiledScenario } from './compile.js';
import * as kinds from './kinds.js';
import type { MeshState } from './mesh-state.js';
import { NEEDS_PLAN, RouteMemo } from './route-memo.js';
import type { Policies } from './policies.js';
import { UNKNOWN_HOPS, type CopyPool, type JobPool } from './pools.js';

// The codes as this module's own constants (see simulator.ts): no cell load
// and initialisation check at each read.
const { Cause, Ev, Flag, MEASURED_SHIFT, Msg } = kinds;
const { Sum } = counters;

/** Framing added to every transmission on the wire (HTTP/2 frame + RPC headers), bytes. */
export const HEADER_BYTES = 64;
/**
 * Up to this many directed edges, per-edge link state is a dense array
 * (8 bytes an edge: 32 MB at the limit); beyond it — a large implicit full
 * mesh — a map holds only the links actually used.
 */
const DENSE_EDGES = 1 << 22;

/**
 * The wire: moves a copy one hop along the path its policy picks, with
 * latency, serialisation on a finite bandwidth, loss, partitions, batching
 * and compression. A batch is one transmission: one header, one latency and
 * one loss draw for all its copies, which all arrive together.
 */
export class Links {
  private readonly codec: Codec | null;
  /** Per directed edge: when the link finishes its last transmission, ms. */
  private readonly busyDense: Float64Array | null;
  private readonly busySparse: Map<number, number> | null;
  // Batching: one open batch per directed edge, in slots found through `slotOf`.
  private readonly slotOf = new Map<number, number>();
  private batchHead = new Int32Array(0);
  private batchTail = new Int32Array(0);
  private batchCount = new Int32Array(0);
  private batchBytes = new Float64Array(0);
  private batchToken = new Int32Array(0);
  private batchFrom = new Int32Array(0);
  private batchTo = new Int32Array(0);
  private batchEdge = new Float64Array(0);
  private slots = 0;
  /** Routes planned whole and kept per copy, for a `planned` path policy; else null (a `next` per hop). */
  private readonly routes: RouteMemo | null;

  constructor(
    private readonly model: CompiledScenario,
    private readonly p: Policies,
    private readonly copies: CopyPool,
    private readonly jobs: JobPool,
    private readonly q: EventQueue,
    /** Tallies by a job's `measured` flag (see the simulator's `tallies`). */
    private readonly tallies: readonly [Counters, Counters],
    private readonly state: MeshState,
    private readonly path: PathPolicy,
    private readonly rngLatency: Stream,
    private readonly rngLoss: Stream,
    private readonly rngRouting: Stream,
    /** Drops a copy for `cause` (the model settles the job). */
    private readonly lose: (m: number, cause: number) => void,
  ) {
    this.codec = p.codec === 'none' ? null : new Codec(p.codec, p.compressMinBytes);
    const serialised = Number.isFinite(model.bandwidth);
    const dense = model.topology.edgeIds <= DENSE_EDGES;
    this.busyDense = serialised && dense ? new Float64Array(model.topology.edgeIds) : null;
    this.busySparse = serialised && !dense ? new Map() : null;
    this.routes = path.planned ? new RouteMemo(path, model.topology.neighbors) : null;
  }

  /** Sends copy `m`, now at agent `at`, one hop towards its `via` agent or its destination. */
  send(m: number, at: number): void {
    const cp = this.copies;
    if (cp.via[m] === at) {
      cp.via[m] = -1;
      cp.hopsLeft[m] = UNKNOWN_HOPS; // bound for its destination now
    }
    const target = cp.via[m]! >= 0 ? cp.via[m]! : cp.dst[m]!;
    const j = cp.job[m]!;
    const flow = this.path.readsFlow ? mix32(this.jobs.seq[j]! ^ (this.jobs.entry[j]! << 24)) : 0;
    let next: number;
    let edge: number;
    if (this.routes !== null) {
      const gen = cp.gen[m]!;
      edge = this.routes.kept(m, gen, at, target);
      if (edge === NEEDS_PLAN) edge = this.routes.plan(m, gen, at, target, flow, this.repliedTo(m, at, target));
      if (edge < 0) return this.lose(m, Cause.Link);
      next = this.model.topology.neighbors[edge]!;
    } else {
      const left = cp.hopsLeft[m]!;
      next = this.path.next(at, target, flow, this.rngRouting, left === UNKNOWN_HOPS ? -1 : left);
      if (next < 0) return this.lose(m, Cause.Link);
      edge = this.path.edge;
      const hopLeft = this.path.left;
      cp.hopsLeft[m] = hopLeft >= 0 && hopLeft < UNKNOWN_HOPS ? hopLeft : UNKNOWN_HOPS;
      // A request leaving its origin for the agent that will reply: the reply
      // starts with this distance (Simulator.answer), the pair reversed.
      if (left === UNKNOWN_HOPS && !this.path.detour && this.repliedTo(m, at, target)) {
        this.jobs.replyFrom[j] = target;
        this.jobs.replyHops[j] = hopLeft >= 0 && hopLeft < UNKNOWN_HOPS - 1 ? hopLeft + 1 : UNKNOWN_HOPS;
      }
    }
    if (this.path.detour && --cp.ttl[m]! === 0) return this.lose(m, Cause.Link);
    let delay = 0;
    if (this.codec !== null && (cp.flags[m]! & Flag.Encoded) === 0) {
      // Compressed once at its first sender, decompressed at its destination.
      cp.flags[m]! |= Flag.Encoded;
      const raw = cp.bytes[m]!;
      if (this.codec.applies(raw)) {
        cp.bytes[m] = this.codec.wireBytes(raw);
        delay = this.codec.cpuMs(raw);
        this.tallies[(cp.flags[m]! >> MEASURED_SHIFT) & 1]!.sums[Sum.CpuMs]! += delay;
      }
    }
    cp.at[m] = next;
    if (this.p.batching !== null) this.enqueueBatch(m, at, next, edge, delay);
    else this.transmit(m, -1, at, next, edge, cp.bytes[m]!, delay);
  }

  /**
   * True when the reply to copy `m` will travel from `target` back to `at`:
   * a request of a one-stage request–reply job leaving its origin, bound for
   * its destination (the reply answers the origin from there).
   */
  private repliedTo(m: number, at: number, target: number): boolean {
    const cp = this.copies;
    const j = cp.job[m]!;
    const jobs = this.jobs;
    return (
      cp.type[m] === Msg.Request &&
      jobs.reply[j] === 1 &&
      at === jobs.origin[j] &&
      target === cp.dst[m] &&
      this.model.entries[jobs.entry[j]!]!.stages.length === 1
    );
  }

  /**
   * One transmission from `from` to `to` over edge `edge`: a single copy
   * (`first` = m, `batch` = -1) or the copies of a batch slot.
   */
  private transmit(first: number, batch: number, from: number, to: number, edge: number, bytes: number, delayMs: number): void {
    const cp = this.copies;
    // The link's state read first: a random edge's is seldom in the cache,
    // and the processor waits for it while it does the tallies and the loss
    // draw below, not after them.
    const busy = this.busyDense;
    const free = busy !== null ? busy[edge]! : 0;
    const wire = bytes + HEADER_BYTES;
    const tally = this.tallies[(cp.flags[first]! >> MEASURED_SHIFT) & 1]!;
    tally.transmissions++;
    tally.sums[Sum.WireBytes]! += wire;
    const s = this.state;
    const lossP = this.model.loss + s.extraLoss;
    const lost = s.isCut(from, to) || (lossP > 0 && this.rngLoss.next() < lossP);
    let depart = this.q.time + delayMs;
    // The link serialises: a transmission waits for the one before it.
    if (busy !== null) {
      depart = (free > depart ? free : depart) + (wire / this.model.bandwidth) * 1000;
      busy[edge] = depart;
    } else if (this.busySparse !== null) {
      const sparseFree = this.busySparse.get(edge) ?? 0;
      depart = (sparseFree > depart ? sparseFree : depart) + (wire / this.model.bandwidth) * 1000;
      this.busySparse.set(edge, depart);
    }
    const lat = this.model.latency;
    let latency = lat.mean;
    if (!lat.isConstant) {
      lat.draw(this.rngLatency);
      latency = lat.value;
    }
    const q = this.q;
    q.when[0] = depart + latency * s.latencyFactor;
    if (batch < 0) {
      if (lost) this.lose(first, Cause.Link);
      else q.scheduleWhen(Ev.Arrive, first, cp.gen[first]!);
      return;
    }
    // A batch is lost or delivered whole, so no `lose` (which may schedule
    // a retry) comes between the copies' schedules: `when` holds the arrival.
    let m = first;
    while (m >= 0) {
      const next = cp.next[m]!;
      if (lost) this.lose(m, Cause.Link);
      else q.scheduleWhen(Ev.Arrive, m, cp.gen[m]!);
      m = next;
    }
  }

  private enqueueBatch(m: number, from: number, to: number, edge: number, delayMs: number): void {
    const b = this.batching();
    let slot = this.slotOf.get(edge);
    if (slot === undefined) {
      slot = this.newSlot(edge, from, to);
      this.slotOf.set(edge, slot);
    }
    const cp = this.copies;
    cp.next[m] = -1;
    if (this.batchCount[slot] === 0) {
      this.batchHead[slot] = m;
      // The linger starts with the first copy; compression time overlaps it.
      this.q.when[0] = this.q.time + Math.max(b.lingerMs, delayMs);
      this.q.scheduleWhen(Ev.Flush, slot, this.batchToken[slot]!);
    } else {
      cp.next[this.batchTail[slot]!] = m;
    }
    this.batchTail[slot] = m;
    this.batchCount[slot]!++;
    this.batchBytes[slot]! += cp.bytes[m]!;
    if (this.batchCount[slot]! >= b.maxSize || this.batchBytes[slot]! >= b.maxBytes) this.flush(slot);
  }

  /** A batch's linger elapsed (stale tokens mean it was already sent). */
  onFlush(slot: number, token: number): void {
    if (this.batchToken[slot] === token && this.batchCount[slot]! > 0) this.flush(slot);
  }

  private flush(slot: number): void {
    const first = this.batchHead[slot]!;
    const bytes = this.batchBytes[slot]!;
    this.batchCount[slot] = 0;
    this.batchBytes[slot] = 0;
    this.batchHead[slot] = -1;
    this.batchTail[slot] = -1;
    this.batchToken[slot]!++;
    this.transmit(first, slot, this.batchFrom[slot]!, this.batchTo[slot]!, this.batchEdge[slot]!, bytes, 0);
  }

  private batching(): NonNullable<Policies['batching']> {
    return this.p.batching!;
  }

  private newSlot(edge: number, from: number, to: number): number {
    if (this.slots === this.batchHead.length) {
      const cap = Math.max(64, this.slots * 2);
      this.batchHead = growI32(this.batchHead, cap);
      this.batchTail = growI32(this.batchTail, cap);
      this.batchCount = growI32(this.batchCount, cap);
      this.batchBytes = growF64(this.batchBytes, cap);
      this.batchToken = growI32(this.batchToken, cap);
      this.batchFrom = growI32(this.batchFrom, cap);
      this.batchTo = growI32(this.batchTo, cap);
      this.batchEdge = growF64(this.batchEdge, cap);
    }
    const s = this.slots++;
    this.batchHead[s] = -1;
    this.batchTail[s] = -1;
    this.batchFrom[s] = from;
    this.batchTo[s] = to;
    this.batchEdge[s] = edge;
    return s;
  }
}
