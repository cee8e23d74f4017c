/**
 * Union–find over 0 … n − 1 (path halving): which items a set of links joins.
 * A union keeps the smaller root, so a set's root is its smallest member once
 * every union is made — deterministic whatever order the links come in.
 */
export class DisjointSets {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  /** The root of `x`'s set. */
  find(x: number): number {
    const parent = this.parent;
    while (parent[x]! !== x) {
      const gp = parent[parent[x]!]!;
      parent[x] = gp;
      x = gp;
    }
    return x;
  }

  /** Joins the sets of `a` and `b`. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }
}
