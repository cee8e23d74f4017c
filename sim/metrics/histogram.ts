import { nearestRank } from './stats.js';

/**
 * A log-linear latency histogram in the manner of HdrHistogram, on one
 * Float64Array of fixed size (32 KiB whatever the number of samples).
 *
 * Layout. A positive double v = 2^e · (1 + f), 0 ≤ f < 1, falls in octave e
 * and in sub-bucket ⌊64 f⌋ of that octave; both are read straight from the
 * IEEE-754 bits (exponent and the top 6 mantissa bits), so the bucket of a
 * value is exact — no logarithm, no rounding at bucket edges. Bucket k of
 * octave e covers [2^e (1 + k/64), 2^e (1 + (k+1)/64)): its width is
 * 1/(64 + k) ≤ 1/64 = 1.5625% of its lower edge.
 *
 * Octaves run from 2^-24 ms (≈ 6e-8 ms, 60 ps) up to 2^40 ms (≈ 1.1e12 ms,
 * 35 years): 64 octaves × 64 sub-buckets = 4096 buckets. Zeros have their own
 * counter; positive values below the range count in the first bucket and
 * values above it in the last (their quantiles are then clamped to the exact
 * min and max, so they are still bounded by them).
 *
 * Error bound. A quantile is reported as the geometric midpoint √(lo · hi) of
 * its bucket, clamped to [min, max]. For any true value v in [lo, hi) the
 * relative error |√(lo·hi) − v| / v is at most √(hi/lo) − 1 ≤ √(1 + 1/64) − 1
 * ≈ 0.778% (reached at v = lo); clamping to [min, max] only moves the report
 * towards v. `LatencyHistogram.RELATIVE_ERROR` is that bound.
 *
 * Counts are doubles (exact up to 2^53) so that merged histograms of many
 * replications never wrap. `sum` is kept with Neumaier compensation, so the
 * mean is exact to a few ulps.
 */

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per octave
const MIN_EXP = -24;
const OCTAVES = 64;
const BUCKETS = OCTAVES * SUB;
/** (biased exponent << SUB_BITS) of the first bucket: subtracted from the top bits of a value. */
const OFFSET = (1023 + MIN_EXP) << SUB_BITS;
/** Right shift that leaves the exponent and the top SUB_BITS mantissa bits of the high word. */
const SHIFT = 20 - SUB_BITS;

/** Scratch for reading a double's bits without allocating. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the high 32-bit word (sign, exponent, top mantissa bits) in U32. */
const HI = (() => {
  F64[0] = 1; // 0x3FF00000_00000000
  return U32[1] === 0x3ff00000 ? 1 : 0;
})();

/** Bucket index of a positive value (see the file comment). */
function bucketOf(v: number): number {
  F64[0] = v;
  const i = (U32[HI]! >>> SHIFT) - OFFSET;
  return i < 0 ? 0 : i >= BUCKETS ? BUCKETS - 1 : i;
}

/** Lower edge of bucket i, in ms. */
function lowerEdge(i: number): number {
  const e = MIN_EXP + (i >> SUB_BITS);
  return Math.pow(2, e) * (1 + (i & (SUB - 1)) / SUB);
}

/** Upper edge of bucket i (exclusive), in ms. */
function upperEdge(i: number): number {
  const e = MIN_EXP + (i >> SUB_BITS);
  return Math.pow(2, e) * (1 + ((i & (SUB - 1)) + 1) / SUB);
}

/** Sparse, JSON-ready form of a histogram (for sending between worker threads). */
export interface HistogramJSON {
  /** Layout tag: sub-buckets per octave, lowest exponent, octaves. */
  layout: [number, number, number];
  count: number;
  zeros: number;
  sum: number;
  sumComp: number;
  min: number;
  max: number;
  /** Indices of the non-empty buckets, ascending. */
  index: number[];
  /** Their counts. */
  counts: number[];
}

/** `record`'s value on its way to `recordAt`. */
const VALUE = new Float64Array(1);

export class LatencyHistogram {
  /** Upper bound of the relative error of any reported quantile: √(1 + 1/64) − 1. */
  static readonly RELATIVE_ERROR = Math.sqrt(1 + 1 / SUB) - 1;
  /** Smallest value resolved to within RELATIVE_ERROR (smaller positive values share the first bucket), ms. */
  static readonly LOWEST = Math.pow(2, MIN_EXP);
  /** Values at or above this share the last bucket, ms. */
  static readonly HIGHEST = Math.pow(2, MIN_EXP + OCTAVES);
  /** Number of buckets. */
  static readonly BUCKETS = BUCKETS;

  /** Per-bucket counts; fixed length `BUCKETS`. */
  readonly counts = new Float64Array(BUCKETS);
  /** Number of values recorded. */
  count = 0;
  /** Number of zeros recorded. */
  zeros = 0;
  /** Smallest value recorded (Infinity when empty). */
  min = Infinity;
  /** Largest value recorded (-Infinity when empty). */
  max = -Infinity;
  /**
   * Neumaier sum and its compensation, in a Float64Array: as fields they
   * would start as small integers and turn double at the first value, which
   * changes the object's hidden class and throws away the code compiled for
   * it (the run's tally first records when the warm-up ends).
   */
  private readonly sums = new Float64Array(2);

  /** Lower edge of bucket i, ms. */
  static bucketLower(i: number): number {
    return lowerEdge(i);
  }

  /** Upper edge (exclusive) of bucket i, ms. */
  static bucketUpper(i: number): number {
    return upperEdge(i);
  }

  /** Bucket index of a positive value. */
  static bucketIndex(v: number): number {
    return bucketOf(v);
  }

  /** Records one value in ms (finite, ≥ 0). */
  record(v: number): void {
    VALUE[0] = v;
    this.recordAt(VALUE, 0);
  }

  /**
   * Records `values[i]` (ms, finite, ≥ 0): the hot path's form, which passes
   * no double (one passed to a call V8 does not inline is boxed in a new heap
   * number). No allocation.
   */
  recordAt(values: Float64Array, i: number): void {
    const v = values[i]!;
    if (!(v >= 0 && v < Infinity)) throw new RangeError(`LatencyHistogram.record: ${v} is not a finite value ≥ 0`);
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.addToSum(values, i);
    if (v === 0) this.zeros++;
    else this.counts[bucketOf(v)]!++;
  }

  /** Sum of the values, ms (compensated). */
  get sum(): number {
    return this.sums[0]! + this.sums[1]!;
  }

  /** Exact mean, ms; NaN when empty. */
  mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /**
   * The lower nearest-rank q-quantile — the smallest v with at least ⌈q·count⌉
   * values ≤ v — as the geometric midpoint of its bucket clamped to [min, max].
   * Exact at the extremes (rank 1 is `min`, rank `count` is `max`); elsewhere
   * within RELATIVE_ERROR. NaN when empty.
   */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0 || Number.isNaN(q)) return NaN;
    const rank = nearestRank(q, n);
    if (rank === 1) return this.min;
    if (rank === n) return this.max;
    if (rank <= this.zeros) return 0;
    let seen = this.zeros;
    const last = bucketOf(this.max);
    for (let i = bucketOf(this.min); i <= last; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return this.representative(i);
    }
    return this.max;
  }

  /** The value reported for bucket i: √(lo · hi) clamped to [min, max]. */
  representative(i: number): number {
    const r = Math.sqrt(lowerEdge(i) * upperEdge(i));
    return r < this.min ? this.min : r > this.max ? this.max : r;
  }

  /** Adds another histogram's values to this one. */
  merge(other: LatencyHistogram): void {
    if (other.count === 0) return;
    const c = this.counts;
    const o = other.counts;
    for (let i = 0; i < BUCKETS; i++) c[i]! += o[i]!;
    this.count += other.count;
    this.zeros += other.zeros;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.addToSum(other.sums, 0);
    this.sums[1]! += other.sums[1]!;
  }

  /** Forgets every value; keeps the storage. */
  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.zeros = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sums[0] = 0;
    this.sums[1] = 0;
  }

  toJSON(): HistogramJSON {
    const index: number[] = [];
    const counts: number[] = [];
    const c = this.counts;
    for (let i = 0; i < BUCKETS; i++) {
      const k = c[i]!;
      if (k !== 0) {
        index.push(i);
        counts.push(k);
      }
    }
    // JSON has no Infinity: an empty histogram ships min/max as 0 and count 0.
    const empty = this.count === 0;
    return {
      layout: [SUB, MIN_EXP, OCTAVES],
      count: this.count,
      zeros: this.zeros,
      sum: this.sums[0]!,
      sumComp: this.sums[1]!,
      min: empty ? 0 : this.min,
      max: empty ? 0 : this.max,
      index,
      counts,
    };
  }

  static fromJSON(json: HistogramJSON): LatencyHistogram {
    const [sub, minExp, octaves] = json.layout;
    if (sub !== SUB || minExp !== MIN_EXP || octaves !== OCTAVES) {
      throw new RangeError(`LatencyHistogram.fromJSON: layout [${json.layout.join(', ')}] differs from [${SUB}, ${MIN_EXP}, ${OCTAVES}]`);
    }
    if (json.index.length !== json.counts.length) {
      throw new RangeError('LatencyHistogram.fromJSON: index and counts differ in length');
    }
    const h = new LatencyHistogram();
    for (let k = 0; k < json.index.length; k++) {
      const i = json.index[k]!;
      if (!(Number.isInteger(i) && i >= 0 && i < BUCKETS)) {
        throw new RangeError(`LatencyHistogram.fromJSON: bucket index ${i} out of range`);
      }
      h.counts[i] = json.counts[k]!;
    }
    h.count = json.count;
    h.zeros = json.zeros;
    h.sums[0] = json.sum;
    h.sums[1] = json.sumComp;
    if (json.count > 0) {
      h.min = json.min;
      h.max = json.max;
    }
    return h;
  }

  /**
   * One step of Neumaier summation, adding `values[i]`. The operands are
   * chosen first so that the arithmetic is one path: a branch with
   * arithmetic of its own, first taken mid-run, would throw the compiled
   * caller away then.
   */
  private addToSum(values: Float64Array, i: number): void {
    const v = values[i]!;
    const s = this.sums[0]!;
    const t = s + v;
    const sFirst = Math.abs(s) >= Math.abs(v);
    const big = sFirst ? s : v;
    const small = sFirst ? v : s;
    this.sums[1]! += big - t + small;
    this.sums[0] = t;
  }
}

/**
 * Points of the empirical latency CDF for plotting: up to `points` pairs
 * [ms, fraction of values ≤ ms], with ms spaced evenly on a log scale from the
 * smallest to the largest reported value, and each bucket's values placed at
 * its reported value (so the curve agrees with `quantile`). A leading [0, f]
 * point gives the fraction of zeros. Empty for an empty histogram.
 */
export function cdfPoints(h: LatencyHistogram, points = 200): Array<[number, number]> {
  const n = h.count;
  const out: Array<[number, number]> = [];
  if (n === 0 || points < 1) return out;
  if (points === 1) return [[h.max, 1]];
  if (h.zeros > 0) {
    out.push([0, h.zeros / n]);
    if (h.zeros === n) return out;
  }
  const first = bucketOf(h.min > 0 ? h.min : firstNonEmpty(h));
  const last = bucketOf(h.max);
  const xMin = h.representative(first);
  const xMax = h.max;
  const steps = Math.max(1, points - out.length);
  let i = first;
  let seen = h.zeros;
  for (let s = 1; s <= steps; s++) {
    // Last point lands exactly on max; a single-valued histogram gives one point.
    const x = s === steps || xMin === xMax ? xMax : xMin * Math.pow(xMax / xMin, (s - 1) / (steps - 1));
    while (i <= last && h.representative(i) <= x) seen += h.counts[i++]!;
    const prev = out[out.length - 1];
    if (prev !== undefined && prev[0] === x) continue;
    out.push([x, seen / n]);
    if (x === xMax) break;
  }
  return out;
}

/** Lower edge of the first non-empty bucket (used when min is 0 but there are positive values). */
function firstNonEmpty(h: LatencyHistogram): number {
  for (let i = 0; i < BUCKETS; i++) if (h.counts[i]! > 0) return lowerEdge(i);
  return h.max;
}
