import type { Stream } from '../../engine/rng.js';
import { mix32 } from '../../engine/rng.js';
import type { PathFinder, Topology } from '../../topology/index.js';
import { ShortestPath } from './shortest.js';
import type { PathView } from './types.js';

/** Random relays tried in a full mesh before giving up on a detour. */
const MESH_DETOUR_TRIES = 8;

/**
 * Health-based adaptive routing, hop by hop, from what each agent observes:
 * among the next hops one step closer, skip those it has detected as down and
 * take the least loaded (ties by flow hash); when every closer hop is down,
 * detour through a live neighbour at the same distance (the caller spends TTL
 * on detours so a message cannot loop forever). In a full mesh, whose only
 * closer hop is the destination, a detour relays through a random live agent.
 */
export class AdaptivePath extends ShortestPath {
  override readonly readsFlow: boolean = true;
  /** Hops depend on what the agents observe when the message passes: never planned. */
  override readonly planned: boolean = false;
  private readonly side: Int32Array;
  private readonly sideEdges: Int32Array;

  constructor(
    topo: Topology,
    paths: PathFinder,
    private readonly view: PathView,
  ) {
    super(topo, paths);
    this.side = new Int32Array(this.buf.length);
    this.sideEdges = new Int32Array(this.buf.length);
  }

  override next(at: number, dst: number, flow: number, rng: Stream, _left: number): number {
    this.detour = false;
    const k = this.paths.closerNeighbors(at, dst, this.buf, this.edges);
    if (k === 0) return -1;
    const best = this.leastLoaded(at, this.buf, this.edges, k, flow);
    if (best >= 0) return best;
    this.detour = true;
    if (this.topo.implicit) return this.meshDetour(at, dst, rng);
    const s = this.paths.sideNeighbors(at, dst, this.side, this.sideEdges);
    return this.leastLoaded(at, this.side, this.sideEdges, s, flow);
  }

  private leastLoaded(at: number, hops: Int32Array, edges: Int32Array, k: number, flow: number): number {
    let best = -1;
    let bestLoad = Infinity;
    const start = k > 1 ? (mix32(flow) >>> 0) % k : 0;
    for (let i = 0; i < k; i++) {
      let idx = start + i;
      if (idx >= k) idx -= k;
      const h = hops[idx]!;
      if (this.view.knownDown(at, h)) continue;
      const load = this.view.load(h);
      if (load < bestLoad) {
        bestLoad = load;
        best = idx;
      }
    }
    if (best < 0) return -1;
    this.edge = edges[best]!;
    return hops[best]!;
  }

  private meshDetour(at: number, dst: number, rng: Stream): number {
    const n = this.topo.n;
    for (let t = 0; t < MESH_DETOUR_TRIES; t++) {
      const r = rng.int(n);
      if (r === at || r === dst || this.view.knownDown(at, r)) continue;
      this.edge = at * n + r;
      return r;
    }
    return -1;
  }
}
