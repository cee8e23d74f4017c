import { growI32 } from '../engine/typed-arrays.js';
import type { EdgeSource } from './graph.js';

/**
 * Undirected edges in two growing Int32 arrays: 8 bytes an edge, where an
 * ngraph link and its node entries take hundreds. Append-only, and `add`
 * does not look for duplicates: only generators that never repeat an edge
 * write here (see generators.ts).
 */
export class EdgeList implements EdgeSource {
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  /** Edges added so far. */
  size = 0;

  add(a: number, b: number): void {
    if (this.size === this.from.length) {
      this.from = growI32(this.from, this.size * 2);
      this.to = growI32(this.to, this.size * 2);
    }
    this.from[this.size] = a;
    this.to[this.size] = b;
    this.size += 1;
  }

  forEachEdge(fn: (a: number, b: number) => void): void {
    for (let i = 0; i < this.size; i++) fn(this.from[i]!, this.to[i]!);
  }
}
