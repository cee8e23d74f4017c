import type { Stream } from '../../engine/rng.js';
import { mix32 } from '../../engine/rng.js';
import { ShortestPath } from './shortest.js';

/**
 * Equal-cost multi-path: a message's flow hash picks one of the equal-cost
 * next hops at every hop (as routers hash the 5-tuple), spreading messages
 * over parallel paths while each message keeps one path.
 */
export class EcmpPath extends ShortestPath {
  override readonly readsFlow: boolean = true;

  override next(at: number, dst: number, flow: number, _rng: Stream, _left: number): number {
    const k = this.paths.closerNeighbors(at, dst, this.buf, this.edges);
    if (k === 0) return -1;
    const i = k === 1 ? 0 : (mix32(flow) >>> 0) % k;
    this.edge = this.edges[i]!;
    return this.buf[i]!;
  }

  override route(at: number, dst: number, flow: number, edges: Int32Array, offset: number, max: number, back: boolean): number {
    return this.paths.route(at, dst, mix32(flow) >>> 0, edges, offset, max, back);
  }
}
