import type { Stream } from '../engine/rng.js';
import type { CrashFault, SlowFault } from '../scenario/types.js';

/**
 * The replicas a crash or slow fault hits, as agent indices. `zone: k` takes
 * the k-th of `zones` contiguous slices of the role at once (a correlated
 * failure: a rack, an availability zone); `count` and `fraction` (rounded up)
 * pick replicas uniformly at random from the faults stream; with none of the
 * three, the whole role.
 */
export function pickVictims(f: CrashFault | SlowFault, first: number, count: number, rng: Stream): Int32Array {
  if (f.zone !== null) {
    const lo = Math.floor((f.zone * count) / f.zones);
    const hi = Math.floor(((f.zone + 1) * count) / f.zones);
    const out = new Int32Array(hi - lo);
    for (let i = 0; i < out.length; i++) out[i] = first + lo + i;
    return out;
  }
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
  for (let i = 0; i < k; i++) out[i] = first + idx[i]!;
  out.sort();
  return out;
}
