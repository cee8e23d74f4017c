import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DisjointSets } from '../../sim/engine/index.js';

test('unions join sets, and a set’s root is its smallest member whatever the order of the links', () => {
  for (const links of [
    [[4, 2], [2, 7], [9, 5], [7, 0]],
    [[7, 0], [9, 5], [2, 7], [4, 2]],
  ]) {
    const s = new DisjointSets(10);
    for (const [a, b] of links) s.union(a!, b!);
    assert.equal([0, 2, 4, 7].map((x) => s.find(x)), [0, 0, 0, 0]);
    assert.equal([5, 9].map((x) => s.find(x)), [5, 5]);
    assert.equal([1, 3, 6, 8].map((x) => s.find(x)), [1, 3, 6, 8], 'untouched items stand alone');
  }
});

test.run();
