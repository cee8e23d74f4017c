/**
 * The mesh's health as faults leave it: which agents are down and since
 * when, how slow each is, which role pairs are cut off from each other, and
 * the extra loss and latency on every link. Written by the fault driver, read
 * by the links, the agents and the adaptive path policy.
 */
export class MeshState {
  /** Overlapping crashes of each agent (down while > 0) and when the last began: change them through `down` and `up`. */
  readonly downCount: Int32Array;
  readonly downSince: Float64Array;
  /** Service time multiplier of each agent (gray failure): change it through `slow`, read it through `slowFactorOf`. */
  readonly slowFactor: Float64Array;
  /**
   * Agents down now, and whether any agent's service was ever slowed: while
   * none is, `isDown` and `slowFactorOf` answer without reading the agent's
   * entry, seldom in the cache (they are asked at every arrival and service).
   */
  private downAgents = 0;
  private slowed = false;
  /** Active partitions between role pairs (roles × roles, both orders) and since when. */
  readonly cut: Int32Array;
  readonly cutSince: Float64Array;
  /** Entries of `cut` above 0: while none is, no link is cut, whoever its ends. */
  cutPairs = 0;
  /** Extra loss probability on every link. */
  extraLoss = 0;
  /** Multiplier of every link's latency. */
  latencyFactor = 1;

  constructor(
    agents: number,
    readonly roles: number,
    readonly roleOf: Int32Array,
  ) {
    this.downCount = new Int32Array(agents);
    this.downSince = new Float64Array(agents);
    this.slowFactor = new Float64Array(agents).fill(1);
    this.cut = new Int32Array(roles * roles);
    this.cutSince = new Float64Array(roles * roles);
  }

  isDown(a: number): boolean {
    return this.downAgents > 0 && this.downCount[a]! > 0;
  }

  /** One more crash (or stop) of `a` from `nowMs`; true when it was up until now. */
  down(a: number, nowMs: number): boolean {
    if (this.downCount[a]!++ > 0) return false;
    this.downSince[a] = nowMs;
    this.downAgents++;
    return true;
  }

  /** One crash (or stop) of `a` over; true when it is up again. */
  up(a: number): boolean {
    if (--this.downCount[a]! > 0) return false;
    this.downAgents--;
    return true;
  }

  /** Multiplies agent `a`'s service times by `factor`. */
  slow(a: number, factor: number): void {
    this.slowed = true;
    this.slowFactor[a]! *= factor;
  }

  /** Agent `a`'s service time multiplier. */
  slowFactorOf(a: number): number {
    return this.slowed ? this.slowFactor[a]! : 1;
  }

  /** True while the link between agents `a` and `b` is cut by a partition. */
  isCut(a: number, b: number): boolean {
    return this.cutPairs > 0 && this.cut[this.roleOf[a]! * this.roles + this.roleOf[b]!]! > 0;
  }

  /**
   * What agent `at` can know at `nowMs` about its neighbour `next`: down once
   * the crash or cut has lasted `detectMs` (liveness detection is not instant).
   */
  knownDown(at: number, next: number, nowMs: number, detectMs: number): boolean {
    if (this.downCount[next]! > 0 && nowMs - this.downSince[next]! >= detectMs) return true;
    const k = this.roleOf[at]! * this.roles + this.roleOf[next]!;
    return this.cut[k]! > 0 && nowMs - this.cutSince[k]! >= detectMs;
  }
}
