import { performance } from 'node:perf_hooks';
import { assembleMetrics } from '../metrics/assemble.js';
import { combineReplications } from '../metrics/replications.js';
import type { Metrics } from '../metrics/types.js';
import { compileScenario, simulateRaw, type CompiledScenario } from '../model/index.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';

export interface RunOptions {
  /** The configuration simulated (already merged over the scenario's). */
  config?: MeshConfig;
  seed?: number;
  replications?: number;
  /** Reuse a compiled scenario (studies compile once per worker). */
  compiled?: CompiledScenario;
  /** Add the per-bucket `timeline` to the metrics (of the first replication). */
  timeline?: boolean;
}

/** Seed of replication r of a run seeded `seed`. */
export function replicationSeed(seed: number, r: number): number {
  return seed + r;
}

/**
 * Simulates a scenario and returns its SPEC §6 metrics. The wrapper around
 * the pure model: it alone reads the clock and the process's memory, for the
 * `engine` figures, which are the only fields that vary between identical runs.
 */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): Metrics {
  const config = opts.config ?? scenario.config;
  const seed = opts.seed ?? scenario.seed;
  const reps = Math.max(1, opts.replications ?? 1);
  const compiled = opts.compiled ?? compileScenario(scenario, config);
  const runs: Metrics[] = [];
  for (let r = 0; r < reps; r++) runs.push(runOnce(compiled, config, replicationSeed(seed, r), r === 0 && opts.timeline === true));
  return combineReplications(runs);
}

/** One seeded run with its engine figures. */
export function runOnce(compiled: CompiledScenario, config: MeshConfig, seed: number, timeline = false): Metrics {
  const sc = compiled.scenario;
  const t0 = performance.now();
  const raw = simulateRaw(compiled, config, seed);
  const wallMs = performance.now() - t0;
  return assembleMetrics(
    raw,
    {
      scenario: sc.name,
      seed,
      config,
      roles: sc.roles,
      warmupMs: sc.warmup,
      durationMs: sc.duration,
      cost: sc.cost,
    },
    {
      events: raw.events,
      wallMs,
      eventsPerSec: wallMs > 0 ? (raw.events * 1000) / wallMs : 0,
      // maxRSS is the peak resident set of the process so far, in KiB.
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    },
    timeline,
  );
}
