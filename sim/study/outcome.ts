/** From SPEC §6 metrics to the study's compact `Outcome`, and averages over seeds. */
import type { Metrics } from '../metrics/types.js';
import { mean, stdev, studentTQuantile } from '../metrics/stats.js';
import type { ClassOutcome, Outcome } from './types.js';

export function outcomeOf(m: Metrics): Outcome {
  const none = m.messages.delivered === 0;
  const classes: Record<string, ClassOutcome> = {};
  for (const [name, c] of Object.entries(m.classes ?? {})) {
    // A class that delivered nothing it sent must never look fast.
    classes[name] = { p99: c.delivered === 0 && c.generated > 0 ? Infinity : c.latencyMs.p99, deliveryRatio: c.deliveryRatio };
  }
  return {
    p99: none ? Infinity : m.latencyMs.p99,
    p50: none ? Infinity : m.latencyMs.p50,
    meanLatency: none ? Infinity : m.latencyMs.mean,
    throughput: m.throughputPerSec,
    deliveryRatio: m.deliveryRatio,
    costPerDelivered: m.cost.perDelivered,
    costTotal: m.cost.total,
    costTokens: m.cost.tokens,
    generated: m.messages.generated,
    delivered: m.messages.delivered,
    retries: m.retries,
    hedges: m.hedges,
    breakerOpens: m.breakerOpens,
    utilization: { ...m.utilization },
    ...(m.classes !== undefined ? { classes } : {}),
  };
}

const NUMERIC_KEYS = [
  'p99',
  'p50',
  'meanLatency',
  'throughput',
  'deliveryRatio',
  'costPerDelivered',
  'costTotal',
  'costTokens',
  'generated',
  'delivered',
  'retries',
  'hedges',
  'breakerOpens',
] as const satisfies ReadonlyArray<keyof Outcome>;

/**
 * Mean of each field over seeds (the replication method: each seed's p99 is
 * one observation of the p99). An Infinity in any seed makes the mean
 * Infinity, which ranks it last, as it should.
 */
export function meanOutcome(list: readonly Outcome[]): Outcome {
  const first = list[0];
  if (first === undefined) throw new Error('meanOutcome needs at least one outcome');
  if (list.length === 1) return { ...first, utilization: { ...first.utilization } };
  const out = { ...first, utilization: {} as Record<string, number> };
  for (const k of NUMERIC_KEYS) out[k] = mean(list.map((o) => o[k]));
  for (const role of Object.keys(first.utilization)) {
    out.utilization[role] = mean(list.map((o) => o.utilization[role] ?? 0));
  }
  out.worstP99 = Math.max(...list.map((o) => o.worstP99 ?? o.p99));
  out.worstDeliveryRatio = Math.min(...list.map((o) => o.worstDeliveryRatio ?? o.deliveryRatio));
  if (first.classes !== undefined) {
    const classes: Record<string, ClassOutcome> = {};
    for (const name of Object.keys(first.classes)) {
      const each = list.map((o) => o.classes?.[name] ?? { p99: Infinity, deliveryRatio: 0 });
      classes[name] = {
        p99: mean(each.map((c) => c.p99)),
        deliveryRatio: mean(each.map((c) => c.deliveryRatio)),
        worstP99: Math.max(...each.map((c) => c.worstP99 ?? c.p99)),
        worstDeliveryRatio: Math.min(...each.map((c) => c.worstDeliveryRatio ?? c.deliveryRatio)),
      };
    }
    out.classes = classes;
  }
  return out;
}

/**
 * What seeds show of the SLO metrics: the mean outcome with each p99 (the
 * global one and every class's) at the upper end of its 95% Student-t
 * interval over the seeds, and each delivery ratio at the lower end (at least
 * 0). A bound met there is met beyond the seeds' noise; met on the mean only,
 * a run on other seeds misses it about as often as not. The worst-seed fields
 * are dropped: the interval stands for them. One seed: its own values.
 */
export function shownOutcome(list: readonly Outcome[]): Outcome {
  const { worstP99: _p, worstDeliveryRatio: _d, ...m } = meanOutcome(list);
  const out: Outcome = { ...m, ...shown(m, list) };
  if (m.classes !== undefined) {
    const classes: Record<string, ClassOutcome> = {};
    for (const [name, c] of Object.entries(m.classes)) {
      classes[name] = shown(c, list.map((o) => o.classes?.[name] ?? { p99: Infinity, deliveryRatio: 0 }));
    }
    out.classes = classes;
  }
  return out;
}

/** A mean p99 and delivery ratio at the ends of their 95% intervals over the seeds' values `each`: the p99 at the top, the ratio at the bottom (at least 0). */
function shown(mean: ClassOutcome, each: readonly ClassOutcome[]): ClassOutcome {
  return {
    p99: mean.p99 + halfWidth(each.map((x) => x.p99)),
    deliveryRatio: Math.max(0, mean.deliveryRatio - halfWidth(each.map((x) => x.deliveryRatio))),
  };
}

/** Half-width of the 95% Student-t interval of the mean of `xs`; 0 for one value or a non-finite one (the mean is then what it is). */
function halfWidth(xs: number[]): number {
  if (xs.length < 2 || !xs.every(Number.isFinite)) return 0;
  return (studentTQuantile(0.975, xs.length - 1) * stdev(xs)) / Math.sqrt(xs.length);
}
