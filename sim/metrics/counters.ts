import { ClassTally } from './classes.js';
import { LatencyHistogram } from './histogram.js';
import type { ReplicaDetail } from './replica-detail.js';
import { Timeline } from './timeline.js';
import type { LostCounts } from './types.js';
import type { RoleScalingTally } from './scaling.js';

/**
 * Causes of loss in SPEC §6 order; a cause's code is its index + 1 (0 means
 * "no cause"). The model's `Cause` codes are these.
 */
export const LOST_KEYS = ['overflow', 'link', 'crash', 'timeout', 'shed', 'breaker', 'unfinished', 'error'] as const satisfies ReadonlyArray<keyof LostCounts>;
export const CAUSE_COUNT = LOST_KEYS.length + 1;

/** Where `Counters.sums` holds each sum. */
export const Sum = { WireBytes: 0, CpuMs: 1, TokensIn: 2, TokensOut: 3 } as const;

/**
 * Raw tallies of one run. Everything attributed to a message counts only for
 * messages created at or after the warm-up (SPEC §6), so ratios such as
 * sent / generated or cost / delivered compare like with like.
 */
export class Counters {
  generated = 0;
  sent = 0;
  transmissions = 0;
  delivered = 0;
  duplicates = 0;
  /** Lost messages by cause code (index 0 unused; see LOST_KEYS). */
  readonly lost = new Float64Array(CAUSE_COUNT);
  retries = 0;
  hedges = 0;
  /** Redundant copies that arrived after their twin and were discarded. */
  redundantDiscarded = 0;
  /**
   * The sums that are not small integers — bytes pass 2^31, times are
   * fractional — held in a Float64Array (at the `Sum` indices) behind the
   * accessors below. As plain fields they would start as small integers and
   * change representation in the middle of a run (the first fraction, the
   * first 2 GiB), which changes the object's hidden class and throws away
   * (deoptimises) every handler compiled for the old one. The model adds to
   * the array itself: through an accessor V8 does not inline, the value read
   * and the value written would each be boxed in a new heap number.
   */
  readonly sums = new Float64Array(4);
  /** Per role: worker busy time inside [warmup, duration], ms (all messages). */
  readonly busyMs: Float64Array;
  readonly latency = new LatencyHistogram();
  readonly timeline: Timeline;
  /** Per priority class; null when the workload names no class. */
  readonly classes: ClassTally | null;

  /** Bytes put on links (after compression). */
  get wireBytes(): number {
    return this.sums[Sum.WireBytes]!;
  }
  set wireBytes(v: number) {
    this.sums[Sum.WireBytes] = v;
  }
  /** Worker time spent on measured messages (service, relay, codec), ms. */
  get cpuMs(): number {
    return this.sums[Sum.CpuMs]!;
  }
  set cpuMs(v: number) {
    this.sums[Sum.CpuMs] = v;
  }
  get tokensIn(): number {
    return this.sums[Sum.TokensIn]!;
  }
  set tokensIn(v: number) {
    this.sums[Sum.TokensIn] = v;
  }
  get tokensOut(): number {
    return this.sums[Sum.TokensOut]!;
  }
  set tokensOut(v: number) {
    this.sums[Sum.TokensOut] = v;
  }

  constructor(roles: number, timelineBucketMs: number, timelineSpanMs: number, classes: readonly string[] = []) {
    this.busyMs = new Float64Array(roles);
    this.timeline = new Timeline(timelineBucketMs, timelineSpanMs, roles);
    this.classes = classes.length > 0 ? new ClassTally(classes) : null;
  }
}

/** Everything a run produces, before it is shaped into SPEC §6 metrics. */
export interface RawRun {
  counters: Counters;
  /** Per-replica tallies, when the run asked for them. */
  replicas: ReplicaDetail | null;
  events: number;
  /** Simulated time when the run stopped, ms. */
  endMs: number;
  breakerOpens: number;
  ejections: number;
  /** Roles that autoscaled (empty when none did). */
  scaling: RoleScalingTally[];
}
