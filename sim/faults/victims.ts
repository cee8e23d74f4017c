import type { Stream } from '../engine/rng.js';
import type { CrashFault, SlowFault } from '../scenario/types.js';

/**
 * The replicas a crash or slow fault hits, as agent indices. `zone: k` takes
 * the k-th of `zones` contiguous slices of the role at once (a correlated
 * failure: a rack, an availability zone); `count` and `fraction` (rounded up)
 * pick replicas uniformly at random from the faults stream; with none of the
 * three, the whole role. `among`, when given, are the agents `count` and
 * `fraction` pick from (the replicas an autoscaled role runs, ascending),
 * instead of all of first … first + count − 1; a zone is always a slice of
 * the whole role.
 */
export function pickVictims(f: CrashFault | SlowFault, first: number, count: number, rng: Stream, among: Int32Array | null = null): Int32Array {
  if (f.zone !== null) {
    const lo = Math.floor((f.zone * count) / f.zones);
    const hi = Math.floor(((f.zone + 1) * count) / f.zones);
    const out = new Int32Array(hi - lo);
    for (let i = 0; i < out.length; i++) out[i] = first + lo + i;
    return out;
  }
  if (among !== null) return pickAmong(f, among, rng);
  const all = new Int32Array(count);
  for (let i = 0; i < count; i++) all[i] = first + i;
  return pickAmong(f, all, rng);
}

/** `count` or `fraction` (rounded up) of `agents` (all of them with neither), uniformly at random, ascending. */
function pickAmong(f: CrashFault | SlowFault, agents: Int32Array, rng: Stream): Int32Array {
  const count = agents.length;
  let k = count;
  if (f.count !== null) k = Math.min(count, f.count);
  else if (f.fraction !== null) k = Math.min(count, Math.ceil(f.fraction * count));
  // Partial Fisher–Yates: the first k of a random permutation.
  const idx = new Int32Array(count);
  for (let i = 0; i < count; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(count - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = agents[idx[i]!]!;
  out.sort();
  return out;
}
