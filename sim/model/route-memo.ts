import { growI32 } from '../engine/typed-arrays.js';
import type { PathPolicy } from '../policies/paths/index.js';

/** Hops of a route kept per copy; a longer route is planned again from where the kept hops end. */
export const ROUTE_CHUNK_HOPS = 32;
/** `kept`: the copy has no hop kept for where it is and where it goes. */
export const NEEDS_PLAN = -2;

/**
 * The routes of the copies in flight, for a path policy whose hops depend on
 * the pair and the message alone (`PathPolicy.planned`): planned a chunk at a
 * time when a copy leaves an agent with no hop kept for it, then read one hop
 * a transmission. The same hops as asking at every agent, paid for once a
 * route instead of once a hop where each answer is a search of its own.
 *
 * A chunk is the copy's while it stays the same copy (its generation), stays
 * bound for the same target and is where the chunk's next hop leaves from;
 * anything else (a `via` reached, a copy index reused) plans again. Memory:
 * 4 × (ROUTE_CHUNK_HOPS + 4) bytes per copy slot.
 */
export class RouteMemo {
  private gen = new Int32Array(0);
  private to = new Int32Array(0);
  private at = new Int32Array(0);
  private pos = new Int32Array(0);
  private end = new Int32Array(0);
  /** Copy m's chunk: edges[m · ROUTE_CHUNK_HOPS + pos[m]] … up to end[m]. */
  private edges = new Int32Array(0);

  constructor(
    private readonly path: PathPolicy,
    private readonly neighbors: Int32Array,
  ) {}

  /**
   * The directed edge of the next hop of copy `m` (generation `gen`) from
   * `at` towards `target` when its chunk holds it, else NEEDS_PLAN: then
   * `plan` gives it.
   */
  kept(m: number, gen: number, at: number, target: number): number {
    if (m >= this.gen.length) return NEEDS_PLAN;
    const p = this.pos[m]!;
    if (this.gen[m] !== gen || this.at[m] !== at || this.to[m] !== target || p >= this.end[m]!) return NEEDS_PLAN;
    return this.take(m, p);
  }

  /**
   * Plans the next chunk of copy `m`'s route from `at` towards `target` for
   * the message hash `flow` and returns its first edge, or −1 when `target`
   * is unreachable. `back`: a reply will come back from `target` to `at`
   * (PathPolicy.route).
   */
  plan(m: number, gen: number, at: number, target: number, flow: number, back: boolean): number {
    if (m >= this.gen.length) this.grow(m + 1);
    const k = this.path.route(at, target, flow, this.edges, m * ROUTE_CHUNK_HOPS, ROUTE_CHUNK_HOPS, back);
    if (k === 0) return -1;
    this.gen[m] = gen;
    this.to[m] = target;
    this.end[m] = k;
    return this.take(m, 0);
  }

  /** Hop `p` of copy `m`'s chunk, the copy then at its far end. */
  private take(m: number, p: number): number {
    const edge = this.edges[m * ROUTE_CHUNK_HOPS + p]!;
    this.pos[m] = p + 1;
    this.at[m] = this.neighbors[edge]!;
    return edge;
  }

  private grow(min: number): void {
    const cap = Math.max(1024, min, 2 * this.gen.length);
    this.gen = grown(this.gen, cap);
    this.to = grown(this.to, cap);
    this.at = grown(this.at, cap);
    this.pos = grown(this.pos, cap);
    this.end = grown(this.end, cap);
    this.edges = growI32(this.edges, cap * ROUTE_CHUNK_HOPS);
  }
}

/** `a` in a larger array, the new slots −1 (no chunk). */
function grown(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = growI32(a, cap);
  b.fill(-1, a.length);
  return b;
}
