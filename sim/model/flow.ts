/**
 * The path of a workload entry's messages through its stages, compiled once:
 * what follows each stage, which stages fork a parallel group, and which end
 * a branch (SPEC §4, parallel groups). Stage 0 is `to`; stage k + 1 is
 * `then[k]`. The simulator reads these arrays on the hot path instead of
 * walking the groups.
 */
import type { ParallelGroup } from '../scenario/types.js';

/** `next` of the last stage: the message is done (or answers its caller). */
export const END = -1;
/** `next` of the last stage of a branch: join, then go on at the group's `after`. */
export const JOIN = -2;

export interface StageFlow {
  /** Per stage: the stage started when it finishes, END or JOIN. */
  next: Int32Array;
  /** Per stage: the group it forks when started (it heads the group's first branch), or -1. */
  forks: Int32Array;
  /** Per stage: the group it belongs to, or -1. */
  group: Int32Array;
  /** Per stage in a group: its branch's bit (1 << branch); 0 elsewhere. */
  bit: Int32Array;
  /** Per group: the first stage of each branch. */
  heads: Int32Array[];
  /** Per group: every branch's bit. */
  full: Int32Array;
  /** Per group: the stage after the join, or END. */
  after: Int32Array;
}

/** The flow of `stages` stages (1 + then.length) with `parallel` over `then`. */
export function compileFlow(stages: number, parallel: readonly ParallelGroup[]): StageFlow {
  const next = new Int32Array(stages);
  const forks = new Int32Array(stages).fill(-1);
  const group = new Int32Array(stages).fill(-1);
  const bit = new Int32Array(stages);
  for (let s = 0; s < stages; s++) next[s] = s + 1 < stages ? s + 1 : END;
  const heads: Int32Array[] = [];
  const full = new Int32Array(parallel.length);
  const after = new Int32Array(parallel.length);
  parallel.forEach((g, gi) => {
    // Branch ranges index `then`; stages are one further on.
    const ranges = g.branches.map(([a, b]) => [a + 1, b + 1] as const);
    const first = ranges[0]![0];
    const last = ranges[ranges.length - 1]![1];
    heads.push(Int32Array.from(ranges, ([a]) => a));
    full[gi] = (1 << ranges.length) - 1;
    after[gi] = last + 1 < stages ? last + 1 : END;
    // The stage before goes on to `first` as any stage goes on to the next
    // (when it ends a group itself, through that group's join and `after`).
    forks[first] = gi;
    ranges.forEach(([a, b], k) => {
      for (let s = a; s <= b; s++) {
        group[s] = gi;
        bit[s] = 1 << k;
      }
      next[b] = JOIN;
    });
  });
  return { next, forks, group, bit, heads, full, after };
}
