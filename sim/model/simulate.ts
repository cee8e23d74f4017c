import type { RawRun } from '../metrics/counters.js';
import type { MeshConfig } from '../scenario/types.js';
import type { CompiledScenario } from './compile.js';
import { resolvePolicies } from './policies.js';
import { Simulator, type ReplicaDetailRequest } from './simulator.js';
import type { RunControl } from './control.js';

/**
 * One run: (compiled scenario, configuration, seed) → raw tallies. Pure and
 * deterministic: the same three inputs give the same tallies, on any thread.
 */
export function simulateRaw(
  compiled: CompiledScenario,
  config: MeshConfig,
  seed: number,
  detail: ReplicaDetailRequest | null = null,
  control?: RunControl,
): RawRun {
  return new Simulator(compiled, resolvePolicies(config), seed, detail).run(control);
}
