import type { Stream } from '../../engine/rng.js';
import type { PathFinder, Topology } from '../../topology/index.js';
import { maxDegree } from '../../topology/index.js';
import type { PathPolicy } from './types.js';

/** Static shortest path: always the lowest-numbered neighbour one hop closer. */
export class ShortestPath implements PathPolicy {
  detour = false;
  edge = -1;
  protected readonly buf: Int32Array;
  protected readonly edges: Int32Array;

  constructor(
    protected readonly topo: Topology,
    protected readonly paths: PathFinder,
  ) {
    const d = Math.max(1, maxDegree(topo));
    this.buf = new Int32Array(d);
    this.edges = new Int32Array(d);
  }

  next(at: number, dst: number, flow: number, _rng: Stream): number {
    const k = this.paths.closerNeighbors(at, dst, this.buf, this.edges);
    if (k === 0) return -1;
    const i = this.choose(k, flow);
    this.edge = this.edges[i]!;
    return this.buf[i]!;
  }

  /** Index among the k equal-cost next hops. */
  protected choose(_k: number, _flow: number): number {
    return 0;
  }
}
