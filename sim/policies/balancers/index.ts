/** Balancers: which replica of a role gets a message (SPEC §5 `routing.balancer`). */
import type { BalancerKind } from '../../scenario/types.js';
import type { Balancer, BalancerView, RoleRange } from './types.js';
import { RandomBalancer } from './random.js';
import { RoundRobinBalancer } from './round-robin.js';
import { LeastRequestBalancer } from './least-request.js';
import { P2CBalancer } from './p2c.js';
import { PeakEwmaBalancer } from './peak-ewma.js';
import { ConsistentHashBalancer } from './consistent-hash.js';

export type { Balancer, BalancerView, RoleRange };

/** `senders` = agents + 1 (index 0 is the external client). */
export function createBalancer(kind: BalancerKind, roles: RoleRange[], view: BalancerView, senders: number): Balancer {
  switch (kind) {
    case 'random':
      return new RandomBalancer(roles, view);
    case 'round-robin':
      return new RoundRobinBalancer(roles, view, senders);
    case 'least-request':
      return new LeastRequestBalancer(roles, view);
    case 'p2c':
      return new P2CBalancer(roles, view);
    case 'peak-ewma':
      return new PeakEwmaBalancer(roles, view);
    case 'consistent-hash':
      return new ConsistentHashBalancer(roles, view);
  }
}
