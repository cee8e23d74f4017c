import { mix32 } from '../../engine/rng.js';
import { ShortestPath } from './shortest.js';

/**
 * Equal-cost multi-path: a message's flow hash picks one of the equal-cost
 * next hops at every hop (as routers hash the 5-tuple), spreading messages
 * over parallel paths while each message keeps one path.
 */
export class EcmpPath extends ShortestPath {
  protected override choose(k: number, flow: number): number {
    return k === 1 ? 0 : (mix32(flow) >>> 0) % k;
  }
}
