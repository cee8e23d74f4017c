import { ci95, mean } from './stats.js';
import type { Metrics } from './types.js';

/** Metric paths left out of averaging and intervals (identity, not measurement). */
const NOT_MEASURED = new Set(['seed', 'replications', 'engine', 'timeline']);

/**
 * A metric's 95% interval as shown to a reader: cut to what the metric can
 * be. Every metric is a count, a duration, a cost or a fraction, so none is
 * below 0, and the fractions (delivery ratios, a role's busy share) are at
 * most 1; with few seeds and one bad one, the Student-t interval of a
 * delivery ratio near 100% reaches past it, which no run could show. The
 * stored `ci95` keeps the plain interval: the gate reads each side's
 * standard error back from its width (sim/gate/welch.ts).
 */
export function shownInterval(path: string, ci: readonly [number, number]): [number, number] {
  const ceiling = path === 'deliveryRatio' || path.endsWith('.deliveryRatio') || path.startsWith('utilization.') ? 1 : Infinity;
  return [Math.max(0, ci[0]), Math.min(ceiling, ci[1])];
}

/**
 * Combines R replications (independent seeds) of one scenario and
 * configuration: every numeric metric becomes its mean over replications
 * (extremes their extreme: `max`, `maxReplicas` the largest, `minReplicas` the
 * smallest), and `ci95` gives the means' Student-t 95% interval (the replication method: each run's
 * p99 is one observation of the p99). Engine figures add up.
 */
export function combineReplications(runs: Metrics[]): Metrics {
  const first = runs[0];
  if (!first) throw new Error('combineReplications needs at least one run');
  if (runs.length === 1) return first;
  const ci: Record<string, [number, number]> = {};
  const combine = (values: unknown[], path: string): unknown => {
    const head = values[0];
    if (typeof head === 'number') {
      const xs = values as number[];
      // Extremes stay extremes: the largest latency of all runs, the fewest and most replicas any ran.
      const leaf = path.slice(path.lastIndexOf('.') + 1);
      if (leaf === 'max' || leaf === 'maxReplicas') return Math.max(...xs);
      if (leaf === 'minReplicas') return Math.min(...xs);
      if (xs.every((x) => Number.isFinite(x))) {
        ci[path] = ci95(xs);
        return mean(xs);
      }
      return mean(xs);
    }
    if (head !== null && typeof head === 'object' && !Array.isArray(head)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(head)) {
        const sub = path ? `${path}.${key}` : key;
        out[key] = combine(
          values.map((v) => (v as Record<string, unknown>)[key]),
          sub,
        );
      }
      return out;
    }
    return head;
  };
  const combined: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const values = runs.map((r) => (r as unknown as Record<string, unknown>)[key]);
    combined[key] = NOT_MEASURED.has(key) || key === 'config' || key === 'scenario' ? values[0] : combine(values, key);
  }
  const engine = {
    events: runs.reduce((s, r) => s + r.engine.events, 0),
    wallMs: runs.reduce((s, r) => s + r.engine.wallMs, 0),
    eventsPerSec: 0,
    peakRssMB: Math.max(...runs.map((r) => r.engine.peakRssMB)),
  };
  engine.eventsPerSec = engine.wallMs > 0 ? (engine.events * 1000) / engine.wallMs : 0;
  return {
    ...(combined as unknown as Metrics),
    seed: first.seed,
    replications: runs.length,
    engine,
    ci95: ci,
  };
}
