import { performance } from 'node:perf_hooks';
import { assembleMetrics } from '../metrics/assemble.js';
import { combineReplications } from '../metrics/replications.js';
import type { Metrics } from '../metrics/types.js';
import type { SpanRecorder } from '../metrics/spans.js';
import { compileScenario, simulateRaw, type CompiledScenario, type RunControl, type RunLimits, type RunProgress } from '../model/index.js';
import { checkRun, runFailure } from './failure.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import type { PathFinder } from '../topology/index.js';

export interface RunOptions {
  /** The configuration simulated (already merged over the scenario's). */
  config?: MeshConfig;
  seed?: number;
  replications?: number;
  /** Reuse a compiled scenario (studies compile once per worker). */
  compiled?: CompiledScenario;
  /** Add the per-bucket `timeline` to the metrics (of the first replication). */
  timeline?: boolean;
  /** Limits of the run's work (SPEC §6.1); the defaults where absent. */
  limits?: Partial<RunLimits>;
  /** Progress between slices of events, with the replication it belongs to. */
  onProgress?: (p: RunProgress & { replication: number; replications: number }) => void;
  /** Records the spans of the first replication (`simulate --spans`). */
  spans?: SpanRecorder;
  /** Told before the scenario is compiled and after (the build of a large mesh's routes takes seconds). */
  onCompile?: (p: CompileProgress) => void;
}

/** The compile step of a run: before it (`ms` null) and after. */
export interface CompileProgress {
  agents: number;
  /** Wall time the compile took, ms; null before it. */
  ms: number | null;
  /** How routes are found; null before the compile. */
  routing: PathFinder['strategy'] | null;
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
  // Refuse a run beyond the limits before building anything for it.
  checkRun(scenario, config, opts.limits);
  let compiled: CompiledScenario;
  // A compiled scenario handed in was built elsewhere: nothing to tell.
  const tell = opts.compiled === undefined ? opts.onCompile : undefined;
  const agents = scenario.roles.reduce((sum, r) => sum + r.count, 0);
  const t0 = performance.now();
  tell?.({ agents, ms: null, routing: null });
  try {
    compiled = opts.compiled ?? compileScenario(scenario, config);
  } catch (err) {
    throw runFailure(err, scenario, config, opts.limits);
  }
  tell?.({ agents, ms: performance.now() - t0, routing: compiled.paths.strategy });
  if (opts.spans !== undefined) {
    for (const role of compiled.roles) {
      for (let i = 0; i < role.count; i++) {
        opts.spans.agentRole[role.first + i] = role.name;
        opts.spans.agentReplica[role.first + i] = i;
      }
    }
  }
  const runs: Metrics[] = [];
  for (let r = 0; r < reps; r++) {
    const progress = opts.onProgress;
    const control: RunControl = {
      ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
      ...(progress !== undefined ? { onProgress: (p: RunProgress) => progress({ ...p, replication: r, replications: reps }) } : {}),
    };
    runs.push(runOnce(compiled, config, replicationSeed(seed, r), r === 0 && opts.timeline === true, control, r === 0 ? (opts.spans ?? null) : null));
  }
  return combineReplications(runs);
}

/** One seeded run with its engine figures; what stops it is reported as bad input naming a field. */
export function runOnce(
  compiled: CompiledScenario,
  config: MeshConfig,
  seed: number,
  timeline = false,
  control: RunControl = {},
  spans: SpanRecorder | null = null,
): Metrics {
  const sc = compiled.scenario;
  const t0 = performance.now();
  let raw;
  try {
    // The timeline's per-bucket worker time only when it is reported.
    raw = simulateRaw(compiled, config, seed, null, timeline ? control : { ...control, timeline: false }, null, spans);
  } catch (err) {
    throw runFailure(err, sc, config, control.limits);
  }
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
