import type { RawRun } from '../metrics/counters.js';
import type { SpanRecorder } from '../metrics/spans.js';
import type { MeshConfig } from '../scenario/types.js';
import type { CompiledScenario } from './compile.js';
import { modelKey } from './layout.js';
import { resolvePolicies } from './policies.js';
import type { ScaleEvent } from './scaling.js';
import { Simulator, type ReplicaDetailRequest } from './simulator.js';
import type { RunControl } from './control.js';

/**
 * One run: (compiled scenario, configuration, seed) → raw tallies. Pure and
 * deterministic: the same three inputs give the same tallies, on any thread.
 * `scalingLog`, when given, receives every autoscaling evaluation and
 * replica change (tests and debugging).
 */
export function simulateRaw(
  compiled: CompiledScenario,
  config: MeshConfig,
  seed: number,
  detail: ReplicaDetailRequest | null = null,
  control?: RunControl,
  scalingLog: ScaleEvent[] | null = null,
  spans: SpanRecorder | null = null,
): RawRun {
  const key = modelKey(compiled.declared, config);
  if (key !== compiled.layoutKey) {
    throw new Error(`the model was compiled for the layout ${compiled.layoutKey}, the configuration asks for ${key}: compile it for this configuration`);
  }
  return new Simulator(compiled, resolvePolicies(config), seed, detail, scalingLog, spans).run(control);
}
