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
  /** Per priority class the runs measured, the same figures for the class's messages (absent: none). */
  classes?: Record<string, ClassStats>;
}

/** A class's pooled and per-seed p99 and delivery ratio over a probe's runs. */
export interface ClassStats {
  /** Pooled p99, ms: Infinity when the class sent messages and none arrived, 0 when it sent none. */
  pooledP99: number;
  /** Per seed: Infinity for a seed that delivered none of the class's messages it sent. */
  perSeedP99: number[];
  pooledDelivery: number;
  perSeedDelivery: number[];
}

/** The class figures of a probe's runs (a class missing from a run counts as nothing sent). */
function classStats(runs: readonly PlanRun[]): Record<string, ClassStats> {
  const names = new Set<string>();
  for (const r of runs) for (const name of Object.keys(r.classes ?? {})) names.add(name);
  const out: Record<string, ClassStats> = {};
  for (const name of [...names].sort()) {
    const pooled = new LatencyHistogram();
    const perSeedP99: number[] = [];
    const perSeedDelivery: number[] = [];
    let generated = 0;
    let delivered = 0;
    for (const r of runs) {
      const c = r.classes?.[name];
      const g = c?.generated ?? 0;
      const d = c?.delivered ?? 0;
      if (c !== undefined) pooled.merge(LatencyHistogram.fromJSON(c.histogram));
      perSeedP99.push(g === 0 ? 0 : d === 0 ? Infinity : c!.p99Ms);
      perSeedDelivery.push(g > 0 ? d / g : 1);
      generated += g;
      delivered += d;
    }
    out[name] = {
      pooledP99: generated === 0 ? 0 : pooled.count === 0 ? Infinity : pooled.quantile(0.99),
      perSeedP99,
      pooledDelivery: generated > 0 ? delivered / generated : 1,
      perSeedDelivery,
    };
  }
  return out;
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
    classes: classStats(runs),
  };
}
