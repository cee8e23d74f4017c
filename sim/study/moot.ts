/**
 * The configuration a study recommends, without the keys that have no effect
 * in it: a `topology.fanout` beside `topology.shape: flat` (a flat fan-out
 * links one coordinator to every other agent, whatever the fanout; SPEC §5).
 * The search space writes the fanout out so that a configuration encodes
 * where it is; `best-config.json` is for people and meshes, not for encoding.
 */
import type { MeshConfig } from '../scenario/types.js';
import { cloneConfig, deletePath } from './config-paths.js';

export function withoutMoot(config: MeshConfig): MeshConfig {
  if (config.topology?.shape !== 'flat' || config.topology.fanout === undefined) return config;
  const out = cloneConfig(config);
  deletePath(out, 'topology.fanout');
  return out;
}
