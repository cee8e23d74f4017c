import { growF64, growI32 } from '../engine/typed-arrays.js';
import { spreadSpan } from './timeline.js';

/**
 * Per replica and per time bucket: what each agent did, for attributing a
 * broken SLO to the replica and the window that cause it. Recorded only when a
 * run asks for it (a capacity plan does; `simulate` and studies do not), so an
 * ordinary run pays one null check at the few places below.
 *
 * Arrays are agent-major (row a = agent a, one column per bucket), fixed in
 * size at the start of the run, except the per-job "longest stay" that grows
 * with the job pool; recording allocates nothing per event.
 *
 * - `busyMs`: worker time spent, split over the buckets it spans (as the
 *   role timeline does, per agent).
 * - `waitMs`: time copies spent waiting in the agent's buffer before their
 *   service, split likewise. Summed over a window and divided by its length
 *   it is the time-average number waiting (Little's law on the buffer); copies
 *   dropped while waiting are not counted.
 * - `slow`: measured messages delivered with a latency above `slowMs`, in
 *   the bucket where they were created (the traffic a user sent when the SLO
 *   broke, not when the backlog drained), booked on the agent where the
 *   message stayed longest: from its admission to the end of its service, or,
 *   for a try the caller gave up on by timeout, at the agent the try's
 *   message had last been admitted to and not yet left — after hand-offs, a
 *   later stage's, not the callee's, which only passed it on (the callee from
 *   the try's start when the message is on a link). `slowAll` counts them whatever
 *   their agent; `delivered` counts every measured message delivered, by
 *   creation bucket too.
 */
export class ReplicaDetail {
  readonly buckets: number;
  readonly busyMs: Float64Array;
  readonly waitMs: Float64Array;
  readonly slow: Float64Array;
  readonly slowAll: Float64Array;
  readonly delivered: Float64Array;
  /** Per job: its longest stay at one agent so far, ms, and that agent (-1 = none yet). */
  private stayMs = new Float64Array(0);
  private stayAgent = new Int32Array(0);
  /** Per job: the agent its message was last admitted to and has not left (-1 = none), and since when. */
  private hereAgent = new Int32Array(0);
  private hereSince = new Float64Array(0);
  /** Per crash/slow fault: the agents it hit (null when its window never opened). */
  victims: Array<Int32Array | null> = [];

  constructor(
    /** Width of a bucket, ms. */
    readonly bucketMs: number,
    spanMs: number,
    readonly agents: number,
    /** Latency above which a delivered message counts as slow, ms. */
    readonly slowMs: number,
  ) {
    this.buckets = Math.max(1, Math.ceil(spanMs / bucketMs));
    const cells = agents * this.buckets;
    this.busyMs = new Float64Array(cells);
    this.waitMs = new Float64Array(cells);
    this.slow = new Float64Array(cells);
    this.slowAll = new Float64Array(this.buckets);
    this.delivered = new Float64Array(this.buckets);
  }

  /** Bucket of time `ms` (times past the span land in the last bucket). */
  at(ms: number): number {
    const b = Math.floor(ms / this.bucketMs);
    return b < this.buckets ? b : this.buckets - 1;
  }

  addBusy(agent: number, fromMs: number, toMs: number): void {
    spreadSpan(this.busyMs, agent * this.buckets, this.bucketMs, this.buckets, fromMs, toMs);
  }

  addWait(agent: number, fromMs: number, toMs: number): void {
    if (toMs > fromMs) spreadSpan(this.waitMs, agent * this.buckets, this.bucketMs, this.buckets, fromMs, toMs);
  }

  /** A new job (or a recycled job index): no stay yet. */
  startJob(job: number): void {
    if (job >= this.stayMs.length) {
      const cap = Math.max(1024, this.stayMs.length * 2, job + 1);
      this.stayMs = growF64(this.stayMs, cap);
      this.stayAgent = growI32(this.stayAgent, cap);
      this.hereAgent = growI32(this.hereAgent, cap);
      this.hereSince = growF64(this.hereSince, cap);
    }
    this.stayMs[job] = 0;
    this.stayAgent[job] = -1;
    this.hereAgent[job] = -1;
  }

  /** A copy of job `job` was admitted to `agent` (in service or waiting) at `nowMs`. */
  admitted(job: number, agent: number, nowMs: number): void {
    this.hereAgent[job] = agent;
    this.hereSince[job] = nowMs;
  }

  /** Job `job` spent `ms` at `agent`, from its admission to the end of its service there (one stage or relay). */
  served(job: number, agent: number, ms: number): void {
    if (this.hereAgent[job] === agent) this.hereAgent[job] = -1;
    this.stay(job, agent, ms);
  }

  /**
   * A try of job `job` to `callee`, started at `triedAtMs`, was given up by
   * timeout at `nowMs`: the time counts where the message is held — the agent
   * it was last admitted to and has not left (after hand-offs, a later
   * stage's), else the callee from the try's start.
   */
  abandoned(job: number, callee: number, triedAtMs: number, nowMs: number): void {
    const here = this.hereAgent[job]!;
    if (here >= 0) this.stay(job, here, nowMs - this.hereSince[job]!);
    else this.stay(job, callee, nowMs - triedAtMs);
  }

  private stay(job: number, agent: number, ms: number): void {
    if (ms > this.stayMs[job]!) {
      this.stayMs[job] = ms;
      this.stayAgent[job] = agent;
    }
  }

  /** A measured job created at `createdMs`, delivered after `latencyMs`. */
  deliveredJob(job: number, createdMs: number, latencyMs: number): void {
    const b = this.at(createdMs);
    this.delivered[b]!++;
    if (latencyMs <= this.slowMs) return;
    this.slowAll[b]!++;
    const a = this.stayAgent[job]!;
    if (a >= 0) this.slow[a * this.buckets + b]!++;
  }
}
