/**
 * The priority dimensions of a search space: with two or more priority
 * classes in the workload (SPEC §4), whether agents share their slots by
 * class weights at all (`priority.weights`, on or off), and each class's
 * weight on a log scale from 1 to 100 (from 1 : 1 to 100 : 1 between any
 * two classes, near strict priority; only ratios matter). Off is first
 * come, first served, as without weights. A scenario whose workload names no
 * class has none of these.
 */
import { workloadClasses } from '../scenario/classes.js';
import type { Scenario } from '../scenario/types.js';
import type { GateDim, NumericDim, WeightPath } from './space-table.js';

/** Largest weight searched (the smallest is 1). */
export const MAX_SEARCHED_WEIGHT = 100;

export function prioritySpace(sc: Scenario): Array<GateDim | NumericDim> {
  const classes = workloadClasses(sc.workload);
  if (classes.length < 2) return [];
  const gate: GateDim = {
    name: 'priority.weights',
    kind: 'gate',
    values: ['off', 'on'],
    clears: ['priority'],
    block: 'priority',
    writes: {},
    knobs: [],
    requires: [],
    stateOf: (c) => (Object.keys(c.priority?.weights ?? {}).length > 0 ? 'on' : 'off'),
    when: null,
  };
  const weights = classes.map((name): NumericDim => {
    const path: WeightPath = `priority.weights.${name}`;
    return { name: path, kind: 'float', path, min: 1, max: MAX_SEARCHED_WEIGHT, log: true, when: { dim: gate.name, values: ['on'] } };
  });
  return [gate, ...weights];
}
