import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossing, isotonicFit } from '../../sim/plan/isotonic.js';

test('pool-adjacent-violators: the weighted least-squares non-decreasing fit', () => {
  // Already monotone: unchanged.
  assert.equal(isotonicFit([1, 2, 3], [1, 1, 1]), [1, 2, 3]);
  // One violation pools its pair: (3 + 2)/2.
  assert.equal(isotonicFit([1, 3, 2, 4], [1, 1, 1, 1]), [1, 2.5, 2.5, 4]);
  // Weights: (3·3 + 2·1)/4 = 2.75.
  assert.equal(isotonicFit([1, 3, 2, 4], [1, 3, 1, 1]), [1, 2.75, 2.75, 4]);
  // A cascade: 5, 1 pool to 3, then 3 with 4 is fine, then 2 pools back over all: (5 + 1 + 4 + 2)/4 = 3.
  assert.equal(isotonicFit([5, 1, 4, 2], [1, 1, 1, 1]), [3, 3, 3, 3]);
  // The microservice-chain case from the issue: 343 ms at ×1.89, 317 ms at ×1.91.
  assert.equal(isotonicFit([237, 343, 317, 400], [4, 4, 4, 4]), [237, 330, 330, 400]);
  // A run that delivered nothing stays infinite.
  assert.equal(isotonicFit([1, Infinity, 5], [1, 1, 1]), [1, Infinity, Infinity]);
});

test('crossing: linear between the last point at or under the target and the first above', () => {
  assert.equal(crossing([1, 2, 3], [10, 20, 30], 25), { x: 2.5 });
  assert.equal(crossing([1, 2, 3], [10, 20, 30], 20), { x: 2 + 0 }, 'on a point: that point (the next is above)');
  assert.is(crossing([1, 2], [30, 40], 25), 'below');
  assert.is(crossing([1, 2], [10, 20], 25), 'above');
  assert.equal(crossing([1, 2], [10, Infinity], 25), { x: 1.5 });
});

test.run();
