import type { Stream } from '../../engine/rng.js';

/**
 * A role's replicas are the agents first … first + count − 1. `count` may
 * change during a run when the role autoscales: it then spans up to the
 * highest ready replica, and those not ready in between are not eligible.
 */
export interface RoleRange {
  first: number;
  count: number;
}

/** What a balancer may observe of the mesh: nothing a real proxy could not see. */
export interface BalancerView {
  /** Per agent: requests dispatched to it that it has not finished (or dropped). */
  readonly outstanding: Int32Array;
  /** Per role: the sum of `outstanding` over its replicas. */
  readonly roleOutstanding: Int32Array;
  /**
   * Peak-EWMA of the latency observed on requests to `agent`, ms, decayed to
   * now (0 before its first observation). Reading it decays it, as a proxy's
   * balancer does whenever it weighs the replica.
   */
  latencyMs(agent: number): number;
  /** False while an agent is ejected by outlier detection or behind an open breaker. */
  eligible(agent: number): boolean;
}

/**
 * Picks the replica of a role that receives a message. Returns -1 when no
 * replica is eligible. `sender` is the sending agent + 1 (0 = external), for
 * balancers that keep per-client state; `key` is the message's hash key.
 */
export interface Balancer {
  pick(role: number, sender: number, key: number, rng: Stream): number;
  /**
   * The role's `count` changed (an autoscaler added or removed replicas at
   * the end of its range): state kept per replica offset must stay in range.
   */
  resized?(role: number): void;
}
