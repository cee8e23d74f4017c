import { LatencyHistogram } from './histogram.js';
import type { LatencySummary } from './types.js';

/** One priority class's figures (SPEC §6 `classes`): its own messages, as the totals count them. */
export interface ClassMetrics {
  generated: number;
  delivered: number;
  lost: number;
  deliveryRatio: number;
  latencyMs: LatencySummary;
}

/**
 * Per priority class tallies of one run, for messages created at or after
 * the warm-up (as the totals): generated, delivered, lost and the latency
 * of what was delivered. Indexed by class; nothing allocated per message.
 */
export class ClassTally {
  readonly generated: Float64Array;
  readonly delivered: Float64Array;
  readonly lost: Float64Array;
  readonly latency: LatencyHistogram[];

  constructor(readonly names: readonly string[]) {
    const k = names.length;
    this.generated = new Float64Array(k);
    this.delivered = new Float64Array(k);
    this.lost = new Float64Array(k);
    this.latency = names.map(() => new LatencyHistogram());
  }
}

/** A latency histogram as SPEC §6's summary (zeros when empty). */
export function latencySummary(h: LatencyHistogram): LatencySummary {
  const empty = h.count === 0;
  const q = (p: number): number => (empty ? 0 : h.quantile(p));
  return { mean: empty ? 0 : h.mean(), p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: empty ? 0 : h.max };
}

export function classMetrics(t: ClassTally): Record<string, ClassMetrics> {
  const out: Record<string, ClassMetrics> = {};
  t.names.forEach((name, c) => {
    const generated = t.generated[c]!;
    const delivered = t.delivered[c]!;
    out[name] = {
      generated,
      delivered,
      lost: t.lost[c]!,
      deliveryRatio: generated > 0 ? delivered / generated : 1,
      latencyMs: latencySummary(t.latency[c]!),
    };
  });
  return out;
}
