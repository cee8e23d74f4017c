import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue } from '../../sim/engine/index.js';
import { Stream } from '../../sim/engine/index.js';

test('pops in time order, ties in scheduling order', () => {
  const q = new EventQueue(16);
  q.schedule(5, 1, 50, 0);
  q.schedule(1, 2, 10, 0);
  q.schedule(5, 3, 51, 0);
  q.schedule(3, 4, 30, 0);
  q.schedule(5, 5, 52, 0);
  const seen: number[] = [];
  while (q.pop()) seen.push(q.a);
  assert.equal(seen, [10, 30, 50, 51, 52]);
});

test('matches a sorted reference through growth and interleaved push/pop', () => {
  const q = new EventQueue(16);
  const rng = new Stream(7, 1);
  const ref: Array<{ t: number; s: number }> = [];
  let seq = 0;
  let now = 0;
  for (let step = 0; step < 20000; step++) {
    if (ref.length === 0 || rng.next() < 0.55) {
      // coarse times so that ties happen often
      const t = now + Math.floor(rng.next() * 20);
      q.schedule(t, 0, seq, 0);
      ref.push({ t, s: seq++ });
    } else {
      ref.sort((x, y) => x.t - y.t || x.s - y.s);
      const want = ref.shift()!;
      assert.ok(q.pop());
      assert.is(q.time, want.t);
      assert.is(q.a, want.s);
      now = q.time;
    }
    assert.is(q.size, ref.length);
  }
});

test('peekTime is Infinity when empty and pop returns false', () => {
  const q = new EventQueue();
  assert.is(q.peekTime(), Infinity);
  assert.is(q.pop(), false);
  q.schedule(2, 9, -1, 7);
  assert.is(q.peekTime(), 2);
  assert.ok(q.pop());
  assert.equal([q.kind, q.a, q.b], [9, -1, 7]);
});

test.run();
