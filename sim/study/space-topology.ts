/**
 * The topology dimensions of a search space (`topology.search`, SPEC §4): a
 * tree's branching factor, an overlay's degree and a scale-free graph's
 * edges per new node, as whole numbers on a log scale (from 2 to 4 children
 * is as large a step as from 16 to 32), and for a tree the choice between
 * its hierarchy of coordinators and a flat fan-out. A candidate carries them
 * as `config.topology`; the model builds its graph from them (model/layout.ts).
 * Without `topology.search` there are none, and the space is what it was.
 */
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { cloneConfig } from './config-paths.js';
import type { ChoiceDim, NumericDim, TopologyPath } from './space-table.js';

export interface TopologySpace {
  /** The graph's dimensions, before `only` and `exclude`; the fanout after the shape it depends on. */
  dims: Array<NumericDim | ChoiceDim>;
  /** `base` with each searched setting written out at the scenario's value, so that it encodes where it is. */
  base: MeshConfig;
}

export function topologySpace(sc: Scenario, config: MeshConfig): TopologySpace {
  const search = sc.topology.search;
  const base = cloneConfig(config);
  const dims: Array<NumericDim | ChoiceDim> = [];
  if (search === undefined) return { dims, base };
  const t = (base.topology ??= {});
  if (search.shape !== undefined) {
    dims.push({ name: 'topology.shape', kind: 'choice', path: 'topology.shape', values: [...search.shape], when: null });
    t.shape ??= 'tree';
  }
  for (const key of ['fanout', 'degree', 'm'] as const) {
    const range = search[key];
    if (range === undefined) continue;
    const path: TopologyPath = `topology.${key}`;
    // A flat fan-out has no branching factor to choose.
    const when = key === 'fanout' && search.shape !== undefined ? { dim: 'topology.shape', values: ['tree'] } : null;
    dims.push({ name: path, kind: 'int', path, min: range[0], max: range[1], log: true, when });
    t[key] ??= sc.topology[key];
  }
  return { dims, base };
}
