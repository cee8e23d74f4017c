/**
 * A run with everything a report charts: the SPEC §6 metrics with their
 * per-bucket timeline, and the latency CDF from the run's own histogram
 * (which the metrics reduce to a few quantiles). Pure and deterministic —
 * no clock: the engine figures are left at zero, since a chart never needs
 * them and identical runs must give identical evidence.
 */
import { assembleMetrics } from '../metrics/assemble.js';
import { cdfPoints } from '../metrics/histogram.js';
import { simulateRaw, type CompiledScenario, type RunControl } from '../model/index.js';
import type { MeshConfig } from '../scenario/types.js';
import type { DetailedMetrics } from './task.js';

/** Points of the latency CDF kept per run (log-spaced in latency). */
export const CDF_POINTS = 120;

const NO_ENGINE = { events: 0, wallMs: 0, eventsPerSec: 0, peakRssMB: 0 };

export function detailedRun(compiled: CompiledScenario, config: MeshConfig, seed: number, control: RunControl = {}): DetailedMetrics {
  const sc = compiled.scenario;
  const raw = simulateRaw(compiled, config, seed, null, control);
  const metrics = assembleMetrics(
    raw,
    { scenario: sc.name, seed, config, roles: sc.roles, warmupMs: sc.warmup, durationMs: sc.duration, cost: sc.cost },
    { ...NO_ENGINE, events: raw.events },
    true,
  );
  return { ...metrics, latencyCdf: cdfPoints(raw.counters.latency, CDF_POINTS) };
}
