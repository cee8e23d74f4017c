import type { RoleScalingTally } from './scaling.js';

/**
 * Counts over time, in fixed buckets: what a run did second by second
 * (generated, delivered, sent, lost, retries, latency, busy time per role).
 * Unlike the SPEC §6 totals it counts every message, warm-up included, so a
 * chart shows the whole run. Fixed-size arrays: recording allocates nothing.
 */
export class Timeline {
  readonly buckets: number;
  readonly generated: Float64Array;
  readonly delivered: Float64Array;
  readonly sent: Float64Array;
  readonly lost: Float64Array;
  readonly retries: Float64Array;
  readonly latencySumMs: Float64Array;
  /** Circuit breakers tripping open (a health chart; the §6 total is `breakerOpens`). */
  readonly breakerOpens: Float64Array;
  /** roles × buckets, row-major by role. */
  readonly busyMs: Float64Array;
  /**
   * The span `addBusy` books, [span[0], span[1]) ms: written here rather than
   * passed, because a double passed to a call V8 does not inline is boxed, a
   * heap number per service on the hot path.
   */
  readonly span = new Float64Array(2);

  constructor(
    /** Width of a bucket, ms. */
    readonly bucketMs: number,
    spanMs: number,
    readonly roles: number,
  ) {
    this.buckets = Math.max(1, Math.ceil(spanMs / bucketMs));
    const n = this.buckets;
    this.generated = new Float64Array(n);
    this.delivered = new Float64Array(n);
    this.sent = new Float64Array(n);
    this.lost = new Float64Array(n);
    this.retries = new Float64Array(n);
    this.latencySumMs = new Float64Array(n);
    this.breakerOpens = new Float64Array(n);
    this.busyMs = new Float64Array(n * roles);
  }

  /** Books worker time `span` of `role`, split over the buckets it spans. */
  addBusy(role: number): void {
    spreadSpanOf(this.busyMs, role * this.buckets, this.bucketMs, this.buckets, this.span);
  }

  /** Bucket of time `ms` (times past the span land in the last bucket). */
  at(ms: number): number {
    const b = Math.floor(ms / this.bucketMs);
    return b < this.buckets ? b : this.buckets - 1;
  }
}

/** Scratch for `spreadSpan`'s times. */
const SPAN = new Float64Array(2);

/**
 * Adds the span [fromMs, toMs) to the row of buckets starting at `row`,
 * each bucket getting the part that falls in it (times past the last bucket
 * land in it), times `weight` (replicas serving through the span, say).
 */
export function spreadSpan(cells: Float64Array, row: number, bucketMs: number, buckets: number, fromMs: number, toMs: number, weight = 1): void {
  SPAN[0] = fromMs;
  SPAN[1] = toMs;
  spreadSpanOf(cells, row, bucketMs, buckets, SPAN, weight);
}

/** `spreadSpan` of [span[0], span[1]): the hot path's form, which passes no double. */
export function spreadSpanOf(cells: Float64Array, row: number, bucketMs: number, buckets: number, span: Float64Array, weight = 1): void {
  const fromMs = span[0]!;
  const toMs = span[1]!;
  const f = Math.floor(fromMs / bucketMs);
  const l = Math.floor(toMs / bucketMs);
  let b = f < buckets ? f : buckets - 1;
  const last = l < buckets ? l : buckets - 1;
  let t = fromMs;
  // Each bucket before the last gets the part up to its end, the last the
  // rest. Every step with arithmetic runs on every call, crossing an edge or
  // not: a span that first crosses one after V8 compiled this (and the
  // handlers it is inlined into) would otherwise throw that code away.
  for (;;) {
    const next = b + 1;
    const edge = next * bucketMs;
    const crosses = b < last;
    cells[row + b]! += weight * ((crosses ? edge : toMs) - t);
    if (!crosses) break;
    t = edge;
    b = next;
  }
}

/** A bucket width giving about `target` buckets over `spanMs`: 1, 2 or 5 × 10^k ms. */
export function bucketFor(spanMs: number, target = 120): number {
  const raw = Math.max(1, spanMs / target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** The timeline as plain data (SPEC §6 extension: `timeline`). */
export interface TimelineData {
  bucketMs: number;
  generated: number[];
  delivered: number[];
  sent: number[];
  lost: number[];
  retries: number[];
  /** Circuit breakers tripped open in each bucket. */
  breakerOpens: number[];
  /** Mean latency of the messages delivered in each bucket, ms (0 when none). */
  meanLatencyMs: number[];
  /** Per role: busy fraction of its worker slots in each bucket. */
  utilization: Record<string, number[]>;
  /**
   * Per autoscaled role: replicas serving (ready or draining, and not down by
   * a crash), averaged over each bucket. Absent when no role autoscales.
   */
  replicas?: Record<string, number[]>;
}

export function timelineData(
  t: Timeline,
  roles: ReadonlyArray<{ name: string; count: number; workers: number }>,
  scaling: readonly RoleScalingTally[] = [],
): TimelineData {
  const list = (a: Float64Array): number[] => Array.from(a);
  const utilization: Record<string, number[]> = {};
  roles.forEach((r, i) => {
    const capacity = r.count * r.workers * t.bucketMs;
    const serving = scaling.find((s) => s.role === i)?.bucketServingMs;
    utilization[r.name] = Array.from(t.busyMs.subarray(i * t.buckets, (i + 1) * t.buckets), (x, b) =>
      serving === undefined ? x / capacity : serving[b]! > 0 ? x / (serving[b]! * r.workers) : 0,
    );
  });
  const replicas: Record<string, number[]> = {};
  // A crashed replica still counts in the utilisation's denominator (as a fixed
  // role's does), but it serves nothing: the chart shows the replicas that do.
  for (const s of scaling) replicas[roles[s.role]!.name] = Array.from(s.bucketServingMs, (ms, b) => (ms - s.bucketCrashedMs[b]!) / t.bucketMs);
  return {
    ...(scaling.length > 0 ? { replicas } : {}),
    bucketMs: t.bucketMs,
    generated: list(t.generated),
    delivered: list(t.delivered),
    sent: list(t.sent),
    lost: list(t.lost),
    retries: list(t.retries),
    breakerOpens: list(t.breakerOpens),
    meanLatencyMs: Array.from(t.delivered, (d, i) => (d > 0 ? t.latencySumMs[i]! / d : 0)),
    utilization,
  };
}
