/**
 * `then` in its two forms (SPEC §4, parallel groups): as steps — a role, or a
 * group's branches, each its roles in order — and as the model reads it, the
 * roles flattened in stage order with each group's branches as index ranges
 * into them. One pair of conversions serves the loader, the model's helpers
 * and the trace import's paths.
 */
import { FieldIssue, type PathSegment } from './errors.js';
import { MAX_STAGES } from './schema.js';
import type { ParallelGroup } from './types.js';

/** A step of `then` as parsed. */
export type ParsedStep = string | { parallel: Array<string | string[]> };

/** A step: one role, or a parallel group's branches (each its roles in order). */
export type Step = string | readonly (readonly string[])[];

/** The flattened form of `then` (scenario/types.ts WorkloadSpec). */
export interface FlatSteps {
  then: string[];
  parallel: ParallelGroup[];
}

export function flattenSteps(
  steps: readonly ParsedStep[],
  at: PathSegment[],
  /** Throws a FieldIssue at `where` when `name` is not a role. */
  checkRole: (name: string, where: PathSegment[]) => void,
): FlatSteps {
  const grouped = steps.map((step, i): Step => {
    if (typeof step === 'string') {
      checkRole(step, [...at, i]);
      return step;
    }
    return step.parallel.map((b, k) => {
      if (typeof b === 'string') {
        checkRole(b, [...at, i, 'parallel', k]);
        return [b];
      }
      b.forEach((name, r) => checkRole(name, [...at, i, 'parallel', k, r]));
      return b;
    });
  });
  const flat = flattenGrouped(grouped);
  // Stage 0 is `to`: every role of `then` is one more stage.
  if (flat.then.length + 1 > MAX_STAGES) {
    throw new FieldIssue(at, `expected at most ${MAX_STAGES} stages in all (to, then every role of then, branches included), got ${flat.then.length + 1}`);
  }
  return flat;
}

/** Steps to the flattened form: roles in stage order, each group's branches as [first, last] into them. */
export function flattenGrouped(steps: readonly Step[]): FlatSteps {
  const then: string[] = [];
  const parallel: ParallelGroup[] = [];
  for (const s of steps) {
    if (typeof s === 'string') {
      then.push(s);
      continue;
    }
    const branches: Array<[number, number]> = [];
    for (const b of s) {
      branches.push([then.length, then.length + b.length - 1]);
      then.push(...b);
    }
    parallel.push({ branches });
  }
  return { then, parallel };
}

/** The flattened form back to steps: the inverse of flattenGrouped. */
export function groupedSteps(then: readonly string[], parallel: readonly ParallelGroup[]): Step[] {
  const out: Step[] = [];
  let i = 0;
  for (const g of parallel) {
    const first = g.branches[0]![0];
    for (; i < first; i++) out.push(then[i]!);
    out.push(g.branches.map(([a, b]) => then.slice(a, b + 1)));
    i = g.branches[g.branches.length - 1]![1] + 1;
  }
  for (; i < then.length; i++) out.push(then[i]!);
  return out;
}

/**
 * A message's time along its stages when each stage takes `ms(role)`: the sum,
 * with each parallel group counting as its longest branch.
 */
export function pathMs(w: { to: string; then: readonly string[]; parallel: readonly ParallelGroup[] }, ms: (role: string) => number): number {
  const sum = (roles: readonly string[]) => roles.reduce((t, r) => t + ms(r), 0);
  let total = w.to === '' ? 0 : ms(w.to);
  for (const s of groupedSteps(w.then, w.parallel)) total += typeof s === 'string' ? ms(s) : Math.max(...s.map(sum));
  return total;
}
