/** From SPEC §6 metrics to the study's compact `Outcome`, and averages over seeds. */
import type { Metrics } from '../metrics/types.js';
import { mean } from '../metrics/stats.js';
import type { Outcome } from './types.js';

export function outcomeOf(m: Metrics): Outcome {
  const none = m.messages.delivered === 0;
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
  return out;
}
