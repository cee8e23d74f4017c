/**
 * Concurrency limits per agent (requests in service plus waiting), in the
 * manner of Netflix's concurrency-limits library: a request over the limit is
 * rejected at once (and counted as shed) instead of queueing. `fixed` keeps a
 * number; `aimd` and `gradient` learn it from the round-trip time of the
 * requests the agent finishes (admission → end of service).
 */
export interface ConcurrencyLimiter {
  /** Current limit of agent `a`. */
  limit(a: number): number;
  /**
   * Agent `a` finished a request `rttMs` after admitting it, of which it
   * waited `waitMs` for a worker, with `inflight` requests held.
   */
  onSample(a: number, rttMs: number, inflight: number, waitMs: number): void;
}

export class FixedLimit implements ConcurrencyLimiter {
  constructor(private readonly value: number) {}
  limit(): number {
    return this.value;
  }
  onSample(): void {}
}

/** Netflix defaults: start at 20, stay within [1, 1000]. */
const INITIAL = 20;
const MIN = 1;
const MAX = 1000;
/** Samples in the long-run RTT average (Gradient2's window). */
const LONG_WINDOW = 600;

/**
 * AIMD: +1 while the agent uses at least half its limit and its recent RTT
 * stays within twice its service time; ×0.9 when the recent RTT exceeds that
 * — queueing the agent can see in its own requests, the signal CoDel acts on.
 * The recent RTT is a short average (α = 0.1) and the service time a long one
 * (α = 0.01) of RTT minus the time spent waiting: a baseline that averaged
 * the RTT itself would absorb the very queueing it should detect. As in TCP,
 * the limit backs off at most once per window (`limit` samples), so one
 * congestion episode costs one decrease, not one per sample.
 */
export class AimdLimit implements ConcurrencyLimiter {
  private readonly value: Float64Array;
  private readonly shortRtt: Float64Array;
  private readonly serviceMs: Float64Array;
  /** Samples left before the next decrease is allowed. */
  private readonly hold: Int32Array;

  constructor(agents: number) {
    this.value = new Float64Array(agents).fill(INITIAL);
    this.shortRtt = new Float64Array(agents);
    this.serviceMs = new Float64Array(agents);
    this.hold = new Int32Array(agents);
  }

  limit(a: number): number {
    return Math.floor(this.value[a]!);
  }

  onSample(a: number, rttMs: number, inflight: number, waitMs: number): void {
    const prev = this.shortRtt[a]!;
    const short = prev === 0 ? rttMs : prev + (rttMs - prev) * 0.1;
    this.shortRtt[a] = short;
    const svc = this.serviceMs[a]!;
    const base = svc === 0 ? rttMs - waitMs : svc + (rttMs - waitMs - svc) * 0.01;
    this.serviceMs[a] = base;
    let v = this.value[a]!;
    if (short > 2 * base) {
      if (this.hold[a]! <= 0) {
        v *= 0.9;
        this.hold[a] = Math.ceil(v);
      } else {
        this.hold[a]!--;
      }
    } else {
      this.hold[a]!--;
      if (inflight * 2 >= v) v += 1;
    }
    this.value[a] = v < MIN ? MIN : v > MAX ? MAX : v;
  }
}

/**
 * Gradient (Netflix Gradient2): the limit follows limit·g + queue, where
 * g = clamp(tolerance · longRtt / shortRtt, 0.5, 1) compares the recent RTT
 * with the long-run one, smoothed by 0.2; a queue allowance of √limit keeps
 * it probing upwards.
 */
export class GradientLimit implements ConcurrencyLimiter {
  private readonly value: Float64Array;
  private readonly longRtt: Float64Array;
  private readonly shortRtt: Float64Array;

  constructor(agents: number) {
    this.value = new Float64Array(agents).fill(INITIAL);
    this.longRtt = new Float64Array(agents);
    this.shortRtt = new Float64Array(agents);
  }

  limit(a: number): number {
    return Math.floor(this.value[a]!);
  }

  onSample(a: number, rttMs: number): void {
    let long = this.longRtt[a]!;
    let short = this.shortRtt[a]!;
    long = long === 0 ? rttMs : long + (rttMs - long) / LONG_WINDOW;
    short = short === 0 ? rttMs : short + (rttMs - short) * 0.2;
    // After a long overload the long average would lag; let it drift down.
    if (long / short > 2) long *= 0.95;
    this.longRtt[a] = long;
    this.shortRtt[a] = short;
    const tolerance = 1.5;
    const g = Math.max(0.5, Math.min(1, (tolerance * long) / short));
    const v = this.value[a]!;
    const target = v * g + Math.sqrt(v);
    const next = v * 0.8 + target * 0.2;
    this.value[a] = next < MIN ? MIN : next > MAX ? MAX : next;
  }
}

export function createLimiter(kind: number | 'aimd' | 'gradient', agents: number): ConcurrencyLimiter {
  if (kind === 'aimd') return new AimdLimit(agents);
  if (kind === 'gradient') return new GradientLimit(agents);
  return new FixedLimit(kind);
}
