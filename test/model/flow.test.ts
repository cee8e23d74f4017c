import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileFlow, END, JOIN } from '../../sim/model/flow.js';
import { flattenSteps, groupedSteps, pathMs } from '../../sim/scenario/steps.js';

// to: s0; then: [x, {parallel: [y, [z, w]]}, {parallel: [u, v]}, t] — stages
// 0 s0 · 1 x · 2 y · 3 z · 4 w · 5 u · 6 v · 7 t.
const steps = ['x', { parallel: ['y', ['z', 'w']] }, { parallel: ['u', 'v'] }, 't'];
const { then, parallel } = flattenSteps(steps, ['then'], () => {});

test('flattening: roles in stage order, branches as index ranges into then', () => {
  assert.equal(then, ['x', 'y', 'z', 'w', 'u', 'v', 't']);
  assert.equal(parallel, [{ branches: [[1, 1], [2, 3]] }, { branches: [[4, 4], [5, 5]] }]);
  // And back: each group as its branches, each branch its roles.
  assert.equal(groupedSteps(then, parallel), ['x', [['y'], ['z', 'w']], [['u'], ['v']], 't']);
});

test('flow: forks, joins, and a group right after another', () => {
  const f = compileFlow(1 + then.length, parallel);
  assert.equal([...f.next], [1, 2, JOIN, 4, JOIN, JOIN, JOIN, END]);
  assert.equal([...f.forks], [-1, -1, 0, -1, -1, 1, -1, -1]);
  assert.equal([...f.group], [-1, -1, 0, 0, 0, 1, 1, -1]);
  assert.equal([...f.bit], [0, 0, 1, 2, 2, 1, 2, 0]);
  assert.equal(f.heads.map((h) => [...h]), [[2, 3], [5, 6]]);
  assert.equal([...f.full], [3, 3]);
  // The first group joins into the second, which joins into t.
  assert.equal([...f.after], [5, 7]);
});

test('flow: a group at the end joins into the end', () => {
  const g = flattenSteps([{ parallel: ['a', 'b'] }], ['then'], () => {});
  const f = compileFlow(1 + g.then.length, g.parallel);
  assert.equal([...f.next], [1, JOIN, JOIN]);
  assert.equal([...f.after], [END]);
});

test('pathMs: a group counts as its longest branch', () => {
  const ms: Record<string, number> = { s0: 1, x: 2, y: 10, z: 3, w: 4, u: 5, v: 6, t: 7 };
  // 1 + 2 + max(10, 3 + 4) + max(5, 6) + 7
  assert.is(pathMs({ to: 's0', then, parallel }, (r) => ms[r]!), 26);
});

test.run();
