import { P2CBalancer } from './p2c.js';

/**
 * Peak-EWMA (Finagle, Linkerd): P2C on latency × (outstanding + 1), where the
 * latency estimate jumps up to a slow observation at once and decays slowly
 * (the simulator keeps `view.latencyMs`). A replica that turns slow is avoided
 * before its queue builds up. Unobserved replicas cost 0 and get tried first.
 */
export class PeakEwmaBalancer extends P2CBalancer {
  protected override cost(agent: number): number {
    return this.view.latencyMs[agent]! * (this.view.outstanding[agent]! + 1);
  }
}
