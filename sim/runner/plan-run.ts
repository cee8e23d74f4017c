/**
 * One run of a capacity plan: the SPEC §6 metrics, the run's latency
 * histogram (so the probe can pool all seeds' messages) and, when a p99 SLO
 * is set, where its slow messages come from. Pure and deterministic — the
 * engine figures are left at zero, as identical runs must give identical plans.
 */
import { assembleMetrics } from '../metrics/assemble.js';
import type { HistogramJSON } from '../metrics/histogram.js';
import type { Metrics } from '../metrics/types.js';
import { simulateRaw, type CompiledScenario, type RunControl } from '../model/index.js';
import type { MeshConfig } from '../scenario/types.js';
import { attributeRun, type RunAttribution } from './attribution.js';

/**
 * Metrics of a plan's run (a `RunTask` with `plan`). `classHistograms` holds
 * each priority class's latency histogram (present when the workload names
 * classes), so a probe pools a class's messages as it pools all of them.
 */
export type PlanMetrics = Metrics & { latencyHistogram: HistogramJSON; classHistograms?: Record<string, HistogramJSON>; attribution: RunAttribution | null };

export function planRun(compiled: CompiledScenario, config: MeshConfig, seed: number, slowMs: number | null, control: RunControl = {}): PlanMetrics {
  const sc = compiled.scenario;
  const raw = simulateRaw(compiled, config, seed, slowMs === null ? null : { slowMs }, control);
  const classes = raw.counters.classes;
  const metrics = assembleMetrics(
    raw,
    { scenario: sc.name, seed, config, roles: sc.roles, warmupMs: sc.warmup, durationMs: sc.duration, cost: sc.cost },
    { events: raw.events, wallMs: 0, eventsPerSec: 0, peakRssMB: 0 },
  );
  return {
    ...metrics,
    latencyHistogram: raw.counters.latency.toJSON(),
    ...(classes !== null ? { classHistograms: Object.fromEntries(classes.names.map((name, c) => [name, classes.latency[c]!.toJSON()])) } : {}),
    attribution: raw.replicas === null ? null : attributeRun(raw.replicas, compiled, seed),
  };
}
