/**
 * Random numbers for the simulation.
 *
 * Two kinds of source, both deterministic from the run's seed:
 *
 * - `Stream`: a sequential generator (xoshiro128**), one per purpose
 *   (arrivals of each workload entry, routing, links, retries, faults, …). Each
 *   stream is seeded from (seed, purpose), so turning a mechanism on draws
 *   from its own stream and does not shift the numbers of the others
 *   (the OMNeT++ / ns-3 discipline).
 *
 * - `KeyedUniform`: a counter-based source. `at(k1, k2)` positions it on a
 *   key (a message's sequence number and stage, say), and the draws that follow
 *   are a pure function of (seed, purpose, k1, k2, counter). A message's service
 *   demand or size is then the same whatever configuration is simulated, which
 *   is what makes common random numbers work across candidates in a study.
 *
 * Both return doubles in [0, 1) with 53 random bits.
 */

/** A source of uniform random numbers. */
export interface Uniform {
  /** A double in [0, 1) with 53 random bits. */
  next(): number;
  /** 32 random bits as an unsigned integer. */
  nextUint32(): number;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_32 = 4294967296;
/** Largest n that `Stream.int` serves from one 32-bit draw. */
const INT_ONE_DRAW_MAX = 2097152;

/** A 32-bit avalanche mix (Chris Wellons' "triple32", bias ≈ 0.0209). */
export function mix32(x: number): number {
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x | 0;
}

/** Folds a seed (any safe integer) and a purpose id into one 32-bit key. */
export function seedKey(seed: number, purpose: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(mix32(lo ^ 0x6a09e667) ^ mix32(hi + 0x3c6ef372) ^ Math.imul(purpose + 1, 0x9e3779b9));
}

/** Sequential generator: xoshiro128** (Blackman & Vigna), 2^128 − 1 period. */
export class Stream implements Uniform {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, purpose: number) {
    // Expand the key with splitmix32 so that nearby seeds give unrelated states.
    let z = seedKey(seed, purpose);
    const next = (): number => {
      z = (z + 0x9e3779b9) | 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as a signed int32. */
  nextInt32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  next(): number {
    const hi = this.nextInt32() >>> 5; // 27 bits
    const lo = this.nextInt32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /**
   * Uniform integer in [0, n). For n ≤ 2^21 it uses one 32-bit output
   * (multiply-shift, Lemire 2019; bias ≤ n / 2^32, below 5e-4 even at 2^21);
   * larger n use the 53-bit double.
   */
  int(n: number): number {
    if (n <= INT_ONE_DRAW_MAX) return Math.floor(((this.nextInt32() >>> 0) * n) / TWO_POW_32);
    return Math.floor(this.next() * n);
  }
}

/** Shuffles `items` in place (Fisher–Yates, drawing from the last position down) and returns it. */
export function shuffle<T>(rng: Stream, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    [items[i], items[k]] = [items[k]!, items[i]!];
  }
  return items;
}

/** Counter-based uniform source keyed by (k1, k2); see the file comment. */
export class KeyedUniform implements Uniform {
  private readonly key: number;
  private k1 = 0;
  private k2 = 0;
  private counter = 0;

  constructor(seed: number, purpose: number) {
    this.key = seedKey(seed, purpose);
  }

  /** Positions the source on a key; the next draws depend only on it. */
  at(k1: number, k2: number): this {
    this.k1 = mix32(this.key ^ mix32(k1 | 0));
    this.k2 = k2 | 0;
    this.counter = 0;
    return this;
  }

  nextUint32(): number {
    const base = mix32(this.k1 ^ mix32(this.k2 + Math.imul(this.counter, 0x85ebca6b)));
    this.counter += 1;
    return mix32(base ^ 0x27d4eb2f) >>> 0;
  }

  next(): number {
    const base = mix32(this.k1 ^ mix32(this.k2 + Math.imul(this.counter, 0x85ebca6b)));
    this.counter += 1;
    const hi = mix32(base ^ 0x27d4eb2f) >>> 5;
    const lo = mix32(base ^ 0x165667b1) >>> 6;
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }
}

/**
 * Purposes of the random streams. Each mechanism draws only from its own, so
 * adding one never changes another's numbers. Values are part of the
 * determinism contract: renumbering them changes every snapshot.
 */
export const Purpose = {
  /** Inter-arrival times; workload entry i uses `arrivals + i`. */
  arrivals: 1000,
  /** Per-message attributes keyed by (message, stage): sizes, tokens, keys. */
  message: 2,
  /** Per-message service demand keyed by (message, stage, attempt). */
  service: 3,
  /** Balancer and path choices. */
  routing: 4,
  /** Link latency. */
  links: 5,
  /** Backoff jitter. */
  retry: 6,
  /** Fault timing and victims: each fault its own, `faults` + a hash of the fault. */
  faults: 3000,
  /** Relay time at intermediate hops. */
  relay: 8,
  /** Sources of closed workloads (think times). */
  think: 9,
  /** Which replica a role sends from. */
  origin: 10,
  /** Link loss trials (apart from latency, so a loss window shifts no latency). */
  loss: 11,
  /** Whether a service ends in an error, keyed by (message, stage, attempt, part). */
  errors: 12,
} as const;
