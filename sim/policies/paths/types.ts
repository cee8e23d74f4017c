import type { Stream } from '../../engine/rng.js';

/** What a path policy may observe: its own links' liveness and neighbours' load. */
export interface PathView {
  /**
   * True once agent `at` has detected that its link to `next`, or `next`
   * itself, is down (liveness detection takes a while; see the simulator).
   */
  knownDown(at: number, next: number): boolean;
  /** Messages waiting or in service at agent `a`. */
  load(a: number): number;
}

/**
 * Chooses the next hop of a message at agent `at` bound for `dst` (≠ at).
 * Returns -1 when no usable hop exists. After a call, `detour` tells whether
 * the hop chosen does not bring the message closer (the caller spends TTL).
 * `flow` is a per-message hash that keeps a message's hops consistent (ECMP).
 */
export interface PathPolicy {
  /**
   * `left`: hops from `at` to `dst` when the caller knows them (the `left` of
   * the call that chose the hop to `at`), else −1.
   */
  next(at: number, dst: number, flow: number, rng: Stream, left: number): number;
  /**
   * After `next`: hops from the agent chosen to `dst` when the policy found
   * them on the way (a shortest path's hop is one nearer), else −1. Exact
   * whenever given: the caller passes it back for the message's next hop.
   */
  left: number;
  /** False when `next` ignores `flow`: the caller may pass 0 instead of hashing the message. */
  readonly readsFlow: boolean;
  detour: boolean;
  /** Directed edge id of the last hop chosen (see topology `edgeId`). */
  edge: number;
  /**
   * True when each hop depends on (at, dst, flow) alone and the topology's
   * answers are searches per pair: the caller then plans whole routes with
   * `route` and keeps them per message instead of calling `next` at each hop.
   */
  readonly planned: boolean;
  /**
   * Writes into `edges[offset …]` up to `max` hops of the route `next` would
   * take from `at` to `dst` for this `flow`, hop after hop; returns how many.
   * `back`: a reply will take the route from `dst` to `at` (it may be planned
   * now, from the same search).
   */
  route(at: number, dst: number, flow: number, edges: Int32Array, offset: number, max: number, back: boolean): number;
}
