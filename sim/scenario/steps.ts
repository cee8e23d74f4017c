/**
 * `then` as written — roles and `{parallel: [...]}` groups — to the model's
 * stage list: the roles flattened in stage order, and each group's branches
 * as index ranges into it (SPEC §4, parallel groups).
 */
import { FieldIssue, type PathSegment } from './errors.js';
import { MAX_STAGES } from './schema.js';
import type { ParallelGroup } from './types.js';

/** A step of `then` as parsed. */
export type ParsedStep = string | { parallel: Array<string | string[]> };

export function flattenSteps(
  steps: readonly ParsedStep[],
  at: PathSegment[],
  /** Throws a FieldIssue at `where` when `name` is not a role. */
  checkRole: (name: string, where: PathSegment[]) => void,
): { then: string[]; parallel: ParallelGroup[] } {
  const then: string[] = [];
  const parallel: ParallelGroup[] = [];
  steps.forEach((step, i) => {
    if (typeof step === 'string') {
      checkRole(step, [...at, i]);
      then.push(step);
      return;
    }
    const branches: Array<[number, number]> = [];
    step.parallel.forEach((b, k) => {
      const roles = typeof b === 'string' ? [b] : b;
      roles.forEach((name, r) => checkRole(name, typeof b === 'string' ? [...at, i, 'parallel', k] : [...at, i, 'parallel', k, r]));
      branches.push([then.length, then.length + roles.length - 1]);
      then.push(...roles);
    });
    parallel.push({ branches });
  });
  // Stage 0 is `to`: every role of `then` is one more stage.
  if (then.length + 1 > MAX_STAGES) {
    throw new FieldIssue(at, `expected at most ${MAX_STAGES} stages in all (to, then every role of then, branches included), got ${then.length + 1}`);
  }
  return { then, parallel };
}

/** `then` as written again, from its flattened form: the inverse of flattenSteps. */
export function stepsOf(then: readonly string[], parallel: readonly ParallelGroup[]): ParsedStep[] {
  const out: ParsedStep[] = [];
  let g = 0;
  for (let i = 0; i < then.length; ) {
    const group = parallel[g];
    if (group !== undefined && group.branches[0]![0] === i) {
      out.push({ parallel: group.branches.map(([a, b]) => (a === b ? then[a]! : then.slice(a, b + 1))) });
      i = group.branches[group.branches.length - 1]![1] + 1;
      g++;
    } else out.push(then[i++]!);
  }
  return out;
}

/**
 * A message's time along its stages when each stage takes `ms(role)`: the sum,
 * with each parallel group counting as its longest branch.
 */
export function pathMs(w: { to: string; then: readonly string[]; parallel: readonly ParallelGroup[] }, ms: (role: string) => number): number {
  let total = w.to === '' ? 0 : ms(w.to);
  let g = 0;
  for (let i = 0; i < w.then.length; ) {
    const group = w.parallel[g];
    if (group !== undefined && group.branches[0]![0] === i) {
      let longest = 0;
      for (const [a, b] of group.branches) {
        let branch = 0;
        for (let k = a; k <= b; k++) branch += ms(w.then[k]!);
        longest = Math.max(longest, branch);
      }
      total += longest;
      i = group.branches[group.branches.length - 1]![1] + 1;
      g++;
    } else total += ms(w.then[i++]!);
  }
  return total;
}
