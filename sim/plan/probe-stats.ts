/**
 * What the replications of one probed point add up to: the pooled p99 (all
 * seeds' messages in one histogram, as a monitoring system would see the
 * same traffic), the per-seed p99s and delivery ratios the interval is built
 * from, and the mean utilisation per role.
 */
import { LatencyHistogram } from '../metrics/histogram.js';
import type { PlanRun } from './runs.js';
import type { Replication } from './types.js';

export interface ProbeStats {
  /** Pooled p99, ms; Infinity when no seed delivered anything. */
  pooledP99: number;
  /** Pooled p95, ms (where a hedge may fire). */
  pooledP95: number;
  /** Mean of the per-seed p99s, ms (Infinity when one seed delivered nothing). */
  meanP99: number;
  perSeedP99: number[];
  /** Σ delivered / Σ generated (1 when nothing was generated). */
  pooledDelivery: number;
  perSeedDelivery: number[];
  utilization: Record<string, number>;
  costPerDelivered: number;
  replications: Replication[];
}

export function probeStats(runs: readonly PlanRun[]): ProbeStats {
  const pooled = new LatencyHistogram();
  const perSeedP99: number[] = [];
  const perSeedDelivery: number[] = [];
  const replications: Replication[] = [];
  const utilization: Record<string, number> = {};
  let generated = 0;
  let delivered = 0;
  let cost = 0;
  for (const r of runs) {
    pooled.merge(LatencyHistogram.fromJSON(r.histogram));
    const p99 = r.delivered === 0 ? Infinity : r.p99Ms;
    perSeedP99.push(p99);
    perSeedDelivery.push(r.deliveryRatio);
    generated += r.generated;
    delivered += r.delivered;
    cost += r.costPerDelivered;
    for (const [role, u] of Object.entries(r.utilization)) utilization[role] = (utilization[role] ?? 0) + u / runs.length;
    replications.push({ seed: r.seed, p99Ms: p99, deliveryRatio: r.deliveryRatio, generated: r.generated, delivered: r.delivered });
  }
  const n = perSeedP99.length;
  return {
    pooledP99: pooled.count === 0 ? Infinity : pooled.quantile(0.99),
    pooledP95: pooled.count === 0 ? Infinity : pooled.quantile(0.95),
    meanP99: n === 0 ? NaN : perSeedP99.reduce((s, x) => s + x, 0) / n,
    perSeedP99,
    pooledDelivery: generated > 0 ? delivered / generated : 1,
    perSeedDelivery,
    utilization,
    costPerDelivered: n === 0 ? NaN : cost / n,
    replications,
  };
}
