import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue, Stream } from '../../sim/engine/index.js';

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

test('peekTime is Infinity when empty and pop returns false', () => {
  const q = new EventQueue();
  assert.is(q.peekTime(), Infinity);
  assert.is(q.pop(), false);
  q.schedule(2, 9, -1, 7);
  assert.is(q.peekTime(), 2);
  assert.ok(q.pop());
  assert.equal([q.kind, q.a, q.b], [9, -1, 7]);
});

test('popUntil pops only events at or before its limit, and leaves the rest pending', () => {
  const q = new EventQueue(16);
  assert.is(q.popUntil(10), false);
  q.schedule(4, 1, 40, 0);
  q.schedule(2, 1, 20, 0);
  q.schedule(4, 1, 41, 0);
  q.schedule(9, 1, 90, 0);
  assert.is(q.popUntil(1.5), false);
  assert.is(q.size, 4);
  const seen: number[] = [];
  while (q.popUntil(4)) seen.push(q.a);
  assert.equal(seen, [20, 40, 41]);
  assert.is(q.size, 1);
  assert.is(q.peekTime(), 9);
  // An event scheduled before the one left pending comes out first.
  q.schedule(5, 1, 50, 0);
  assert.ok(q.popUntil(Infinity));
  assert.equal([q.time, q.a], [5, 50]);
  assert.ok(q.popUntil(9));
  assert.is(q.a, 90);
  assert.is(q.popUntil(Infinity), false);
});

test('scheduleWhen takes its time from when[0], in the order schedule keeps', () => {
  const q = new EventQueue(16);
  q.when[0] = 3.5;
  q.scheduleWhen(1, 35, 0);
  q.schedule(1.25, 1, 12, 0);
  q.when[0] = 3.5;
  q.scheduleWhen(2, 36, 9);
  const seen: Array<[number, number, number, number]> = [];
  while (q.pop()) seen.push([q.time, q.kind, q.a, q.b]);
  assert.equal(seen, [
    [1.25, 1, 12, 0],
    [3.5, 1, 35, 0],
    [3.5, 2, 36, 9],
  ]);
  q.when[0] = NaN;
  assert.throws(() => q.scheduleWhen(1, 0, 0), /finite/);
});

/** A sorted array of (time, sequence): slow, and obviously right. */
class SortedReference {
  private readonly items: Array<{ t: number; s: number }> = [];
  get size(): number {
    return this.items.length;
  }
  add(t: number, s: number): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = this.items[mid]!;
      if (x.t < t || (x.t === t && x.s < s)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, { t, s });
  }
  first(): { t: number; s: number } {
    return this.items[0]!;
  }
  shift(): { t: number; s: number } {
    return this.items.shift()!;
  }
}

/**
 * Shapes of pending times that a calendar queue must survive: each gives the
 * time of the next event from `now`, the step number and a uniform draw.
 */
const SHAPES: Record<string, (now: number, step: number, u: number, rng: Stream) => number> = {
  // Coarse times: many exact ties, which must pop in scheduling order.
  ties: (now, _s, u) => now + Math.floor(u * 20),
  exponential: (now, _s, u) => now - Math.log(1 - u),
  // Half the events near, half far ahead, like replies and their timeouts.
  'near and far': (now, _s, u, rng) => now + (u < 0.5 ? -Math.log(1 - rng.next()) * 0.01 : 30_000 + rng.next()),
  'all at now': (now, _s, u) => now + (u < 0.95 ? 0 : 5),
  // The time scale jumps by 10^7 and back: the width must follow.
  'scale drift': (now, step, u) => now + (Math.floor(step / 4000) % 2 === 0 ? u * 1e-4 : u * 1e3),
  // The engine accepts times before the last one popped.
  'into the past': (now, _s, u) => now - 50 + u * 100,
  // Times around 10^15: laps must stay exact integers.
  'huge times': (now, _s, u) => 1e15 + now + u * 1e6,
  'negative times': (now, _s, u) => -1e6 + now + u,
};

for (const [name, next] of Object.entries(SHAPES)) {
  test(`matches a sorted reference: ${name} (grows to thousands, drains to empty, peeks in between)`, () => {
    const q = new EventQueue(16);
    const rng = new Stream(7, name.length);
    const ref = new SortedReference();
    let seq = 0;
    let now = 0;
    const steps = 24_000;
    for (let step = 0; step < steps; step++) {
      // Grow for the first half, drain for the second: every bucket count is used both ways.
      const pScheduling = step < steps / 2 ? 0.6 : 0.38;
      if (ref.size === 0 || rng.next() < pScheduling) {
        const t = next(now, step, rng.next(), rng);
        q.schedule(t, 1, seq, 0);
        ref.add(t, seq++);
      } else if (rng.next() < 0.3) {
        assert.is(q.peekTime(), ref.first().t, `peek at step ${step}`);
      } else {
        const want = ref.shift();
        assert.ok(q.pop());
        if (q.time !== want.t || q.a !== want.s) {
          assert.unreachable(`step ${step}: popped (${q.time}, #${q.a}), expected (${want.t}, #${want.s})`);
        }
        now = q.time;
      }
      assert.is(q.size, ref.size);
    }
    while (ref.size > 0) {
      const want = ref.shift();
      assert.ok(q.pop());
      assert.equal([q.time, q.a], [want.t, want.s]);
    }
    assert.is(q.pop(), false);
  });
}

test('a hold model of 10⁵ events pops every event once, in (time, sequence) order', () => {
  const q = new EventQueue(16);
  const rng = new Stream(3, 3);
  const pending = 100_000;
  for (let i = 0; i < pending; i++) q.schedule(-Math.log(1 - rng.next()), 0, i, 0);
  const popped = new Uint8Array(pending + 300_000);
  let lastTime = -Infinity;
  let lastId = -1;
  let nextId = pending;
  for (let i = 0; i < 300_000; i++) {
    assert.ok(q.pop());
    // Each event is scheduled after everything popped so far, so the pops
    // must come out ordered; an event popped early would show as a step back.
    // Ids are given in scheduling order, so they stand for the sequence.
    const id = q.a;
    if (q.time < lastTime || (q.time === lastTime && id < lastId)) assert.unreachable(`pop ${i} went back in time`);
    if (popped[id] === 1) assert.unreachable(`event ${id} popped twice`);
    popped[id] = 1;
    lastTime = q.time;
    lastId = id;
    q.schedule(q.time + -Math.log(1 - rng.next()), 0, nextId++, 0);
  }
  assert.is(q.size, pending);
});

test('refuses non-finite times, naming the time', () => {
  const q = new EventQueue();
  for (const t of [NaN, Infinity, -Infinity]) {
    assert.throws(() => q.schedule(t, 0, 0, 0), (e: unknown) => e instanceof RangeError && String(e).includes(String(t)));
  }
  assert.is(q.size, 0);
});

test('clear() empties the queue, which then works as new', () => {
  const q = new EventQueue(16);
  for (let i = 0; i < 1000; i++) q.schedule(i % 37, 0, i, 0);
  q.clear();
  assert.is(q.size, 0);
  assert.is(q.peekTime(), Infinity);
  q.schedule(4, 0, 1, 0);
  q.schedule(2, 0, 2, 0);
  q.schedule(4, 0, 3, 0);
  const seen: number[] = [];
  while (q.pop()) seen.push(q.a);
  assert.equal(seen, [2, 1, 3]);
});

/** Runs a hold model (pop one, schedule one) and returns the work per operation and the rebuilds. */
function hold(q: EventQueue, ops: number, increment: (rng: Stream) => number, rng: Stream): { stepsPerOp: number; rebuilds: number } {
  const before = q.effort;
  for (let i = 0; i < ops; i++) {
    q.pop();
    q.schedule(q.time + increment(rng), 0, q.a, 0);
  }
  const after = q.effort;
  return { stepsPerOp: (after.steps - before.steps) / ops, rebuilds: after.rebuilds - before.rebuilds };
}

const exp = (mean: number) => (rng: Stream) => -mean * Math.log(1 - rng.next());

function filled(pending: number, increment: (rng: Stream) => number, rng: Stream): EventQueue {
  const q = new EventQueue(16);
  for (let i = 0; i < pending; i++) q.schedule(increment(rng), 0, i, 0);
  return q;
}

test('effort: a steady hold model settles at a few steps per operation, with no rebuild', () => {
  const rng = new Stream(5, 5);
  const q = filled(10_000, exp(1), rng);
  hold(q, 50_000, exp(1), rng); // settle
  const { stepsPerOp, rebuilds } = hold(q, 200_000, exp(1), rng);
  assert.ok(stepsPerOp < 2, `steps per operation ${stepsPerOp}`);
  assert.is(rebuilds, 0);
});

test('effort: after the time scale changes 10⁶-fold, the width follows', () => {
  const rng = new Stream(6, 6);
  const q = filled(10_000, exp(1), rng);
  hold(q, 50_000, exp(1), rng);
  // Increments a million times longer: the old width makes every pop scan laps.
  const longer = hold(q, 50_000, exp(1e6), rng);
  assert.ok(longer.rebuilds >= 1, 'the change was noticed');
  const settledLong = hold(q, 200_000, exp(1e6), rng);
  assert.ok(settledLong.stepsPerOp < 4, `steps per operation ${settledLong.stepsPerOp}`);
  // And back, a million times shorter: the new events crowd the front
  // buckets, among far events that stay pending, until the width follows.
  const shorter = hold(q, 200_000, exp(1), rng);
  assert.ok(shorter.rebuilds >= 1 && shorter.stepsPerOp < 20, `transition: ${JSON.stringify(shorter)}`);
  // Settled: under the 4 steps per operation at which the queue rebuilds.
  const settledShort = hold(q, 200_000, exp(1), rng);
  assert.ok(settledShort.stepsPerOp < 4, `steps per operation ${settledShort.stepsPerOp}`);
});

test('effort: near events mixed with far timeouts stay cheap', () => {
  const rng = new Stream(8, 8);
  const mixed = (r: Stream) => (r.next() < 0.5 ? exp(1)(r) : 1000 + exp(1)(r));
  const q = filled(10_000, mixed, rng);
  hold(q, 100_000, mixed, rng);
  const { stepsPerOp } = hold(q, 200_000, mixed, rng);
  assert.ok(stepsPerOp < 4, `steps per operation ${stepsPerOp}`);
});

test.run();
