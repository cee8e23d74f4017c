import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MeshState } from '../../sim/model/mesh-state.js';

// MeshState answers isDown and slowFactorOf without reading an agent's entry
// while no agent is down or was ever slowed; its counts must follow
// overlapping crashes exactly.

test('overlapping crashes: down until the last is over, since the first began', () => {
  const s = new MeshState(4, 1, new Int32Array(4));
  assert.not.ok(s.isDown(2));
  assert.ok(s.down(2, 100), 'went down');
  assert.not.ok(s.down(2, 150), 'already down');
  assert.ok(s.down(3, 120));
  assert.ok(s.isDown(2) && s.isDown(3) && !s.isDown(0) && !s.isDown(1));
  assert.is(s.downSince[2], 100);
  assert.not.ok(s.up(2), 'one crash of two over');
  assert.ok(s.isDown(2));
  assert.ok(s.up(2), 'up again');
  assert.not.ok(s.isDown(2));
  assert.ok(s.isDown(3), 'another agent still down');
  assert.ok(s.up(3));
  assert.not.ok(s.isDown(3));
  // Down again after all were up: counted afresh.
  assert.ok(s.down(0, 300));
  assert.ok(s.isDown(0) && !s.isDown(2));
  assert.is(s.downSince[0], 300);
});

test('slow factors: 1 until slowed; the product of the factors after', () => {
  const s = new MeshState(3, 1, new Int32Array(3));
  assert.is(s.slowFactorOf(1), 1);
  s.slow(1, 4);
  assert.is(s.slowFactorOf(1), 4);
  assert.is(s.slowFactorOf(0), 1);
  s.slow(1, 0.5);
  assert.is(s.slowFactorOf(1), 2);
  s.slow(1, 1 / 2);
  assert.is(s.slowFactorOf(1), 1);
});

test.run();
