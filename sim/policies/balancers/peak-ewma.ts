import { P2CBalancer } from './p2c.js';

/**
 * A replica never answered yet but already holding requests costs this plus
 * its requests (Finagle's `Penalty`): one request finds out its latency
 * before more follow, instead of every pick taking the replica whose
 * estimate is still 0.
 */
export const UNOBSERVED_PENALTY = 2 ** 47;

/**
 * Peak-EWMA (Finagle, Linkerd/tower): P2C on latency × (outstanding + 1),
 * where the latency estimate jumps up to a slow observation at once, decays
 * towards faster ones, and decays towards 0 with the time since it was last
 * weighed (the simulator keeps it: `view.latencyMs`). A replica that turns
 * slow is avoided before its queue builds up, and tried again once its
 * estimate has decayed below the others' cost. A replica without an
 * observation and without requests costs 0 and is tried first; one without
 * an observation but with requests in flight costs UNOBSERVED_PENALTY more.
 */
export class PeakEwmaBalancer extends P2CBalancer {
  protected override cost(agent: number): number {
    const latency = this.view.latencyMs(agent);
    const pending = this.view.outstanding[agent]!;
    return latency === 0 && pending > 0 ? UNOBSERVED_PENALTY + pending : latency * (pending + 1);
  }
}
