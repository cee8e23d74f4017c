/**
 * The resource dimensions of a search space: a role's replicas and worker
 * slots (`config.resources`), searched within its `roles.<role>.scale`
 * bounds on a log scale (going from 2 to 4 replicas is as large a step as
 * from 16 to 32). A role the configuration autoscales keeps its count out
 * of the search: the autoscaler decides it at run time.
 */
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { cloneConfig } from './config-paths.js';
import type { NumericDim, ResourcePath } from './space-table.js';

export interface ResourceSpace {
  /** Every bounded resource of the scenario, before `only` and `exclude`. */
  dims: NumericDim[];
  /** The configuration with each bounded resource written out at its current value, so that it encodes where it is. */
  base: MeshConfig;
}

export function resourceSpace(sc: Scenario): ResourceSpace {
  const dims: NumericDim[] = [];
  const base = cloneConfig(sc.config);
  for (const role of sc.roles) {
    if (role.scale === undefined) continue;
    for (const key of ['count', 'workers'] as const) {
      const bounds = role.scale[key];
      if (bounds === null) continue;
      if (key === 'count' && sc.config.autoscale?.[role.name] !== undefined) continue;
      const path: ResourcePath = `resources.${role.name}.${key}`;
      dims.push({ name: path, kind: 'int', path, min: bounds[0], max: bounds[1], log: true, when: null });
      const res = (base.resources ??= {});
      const entry = (res[role.name] ??= {});
      entry[key] ??= role[key];
    }
  }
  return { dims, base };
}
