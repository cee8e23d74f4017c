import { runScenario, type CompileProgress } from '../runner/index.js';
import type { Metrics } from '../metrics/types.js';
import type { SpanRecorder } from '../metrics/spans.js';
import type { RunLimits, RunProgress } from '../model/index.js';
import { resolveConfig, resolveScenario, type ConfigInput, type ScenarioInput } from './inputs.js';
import { checkReplications, checkSeed } from './options.js';

export interface SimulateOptions {
  /** Merged over the scenario's configuration (a path or an object). */
  config?: ConfigInput;
  /** Default: the scenario's seed. */
  seed?: number;
  /** Independent replications (default 1); more than one adds `ci95`. */
  replications?: number;
  /** Add the per-bucket timeline (of the first replication). */
  timeline?: boolean;
  /** Raise the work limits (SPEC §6.1). */
  limits?: Partial<RunLimits>;
  /** Progress between slices of events. */
  onProgress?: (p: RunProgress & { replication: number; replications: number }) => void;
  /** Records the spans of the first replication (`simulate --spans`). */
  spans?: SpanRecorder;
  /** Before and after the scenario is compiled. */
  onCompile?: (p: CompileProgress) => void;
}

/** One run (or R replications) of a scenario: the object `meshtune simulate --json` prints (SPEC §6). */
export function simulate(scenario: ScenarioInput, opts: SimulateOptions = {}): Metrics {
  const sc = resolveScenario(scenario);
  const config = resolveConfig(sc, opts.config);
  const seed = opts.seed === undefined ? sc.seed : checkSeed(opts.seed, 'seed');
  const replications = opts.replications === undefined ? 1 : checkReplications(opts.replications, 'replications');
  return runScenario(sc, {
    config,
    seed,
    replications,
    timeline: opts.timeline === true,
    ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
    ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
    ...(opts.spans !== undefined ? { spans: opts.spans } : {}),
    ...(opts.onCompile !== undefined ? { onCompile: opts.onCompile } : {}),
  });
}
