import type { Stream } from '../../engine/rng.js';
import type { PathFinder, Topology } from '../../topology/index.js';
import { maxDegree } from '../../topology/index.js';
import type { PathPolicy } from './types.js';

/** Static shortest path: always the lowest-numbered neighbour one hop closer. */
export class ShortestPath implements PathPolicy {
  detour = false;
  readonly readsFlow: boolean = false;
  readonly planned: boolean;
  edge = -1;
  left = -1;
  protected readonly buf: Int32Array;
  protected readonly edges: Int32Array;

  constructor(
    protected readonly topo: Topology,
    protected readonly paths: PathFinder,
  ) {
    this.planned = paths.plansRoutes;
    const d = Math.max(1, maxDegree(topo));
    this.buf = new Int32Array(d);
    this.edges = new Int32Array(d);
  }

  /** The first member of the closer set: found without finding the rest (`PathFinder.firstCloser`). */
  next(at: number, dst: number, _flow: number, _rng: Stream, left: number): number {
    const hop = this.paths.firstCloser(at, dst, this.edges, left);
    if (hop >= 0) this.edge = this.edges[0]!;
    this.left = this.paths.hopLeft;
    return hop;
  }

  route(at: number, dst: number, _flow: number, edges: Int32Array, offset: number, max: number, back: boolean): number {
    return this.paths.route(at, dst, -1, edges, offset, max, back);
  }
}
