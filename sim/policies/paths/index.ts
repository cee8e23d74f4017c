/** Path policies: the next hop of a message (SPEC §5 `routing.path`). */
import type { PathKind } from '../../scenario/types.js';
import type { PathFinder, Topology } from '../../topology/index.js';
import type { PathPolicy, PathView } from './types.js';
import { ShortestPath } from './shortest.js';
import { EcmpPath } from './ecmp.js';
import { AdaptivePath } from './adaptive.js';

export type { PathPolicy, PathView };

export function createPathPolicy(kind: PathKind, topo: Topology, paths: PathFinder, view: PathView): PathPolicy {
  switch (kind) {
    case 'shortest':
      return new ShortestPath(topo, paths);
    case 'ecmp':
      return new EcmpPath(topo, paths);
    case 'adaptive':
      return new AdaptivePath(topo, paths, view);
  }
}
